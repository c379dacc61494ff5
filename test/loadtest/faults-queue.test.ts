import { describe, expect, it } from 'vitest';
import type { DrillAnswer } from '../../loadtest/faults/faults.ts';
import { renderFaultsHtml, renderFaultsMarkdown } from '../../loadtest/faults/faults-report.ts';
import { measureKillAnswers, measureKilledJobs, serverCounts } from '../../loadtest/faults/queue-kill-figures.ts';
import { runQueueKillDrill } from '../../loadtest/faults/queue-drill.ts';
import type { FaultResults } from '../../loadtest/faults/faults.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The fault run's worker-kill drill, for real: a queue-mode server with QUEUE_WORKERS=0, two
 * `npm run worker` processes of the harness, open-model load on /fetch/queue, one worker SIGKILLed
 * while it holds jobs. Nothing within its deadline may be lost.
 */
it('loses no request when a queue worker is SIGKILLed mid-job: BullMQ re-runs what it held', async () => {
  const answers: DrillAnswer[] = [];
  const { events, queueKill: q } = await runQueueKillDrill(
    { rate: 20, phaseSeconds: 2 },
    () => {},
    (a) => answers.push(a),
  );
  const what = events.map((e) => e.what.replace(/\d+/g, 'N'));
  expect(what[0]).toBe('queue load starts on /fetch/queue?delay=N');
  expect(what[1]).toBe('queue worker N killed (SIGKILL) holding N job(s)');
  // The replacement and the re-run race: the surviving worker's stalled check may put the jobs back first.
  expect(what.slice(2, 4).sort()).toEqual([
    'every job the killed worker held has ended',
    'replacement queue worker N listens',
  ]);
  expect(what.slice(4)).toEqual(['queue load stopped']);

  // Mid-job: the victim held active jobs when it died, it is gone, and each of its jobs ran again elsewhere.
  expect(q.jobs.held).toBeGreaterThan(0);
  expect(alive(q.victim.pid)).toBe(false);
  expect([q.jobs.rerun, q.jobs.completed, q.jobs.failed]).toEqual([q.jobs.held, q.jobs.held, 0]);
  expect(q.jobs.stalledNotHeld).toBe(0);
  expect(q.answers.inFlightAtKill).toBeGreaterThanOrEqual(q.jobs.held);

  // Nothing lost: every request due was sent and answered 200, as the generator and the server count.
  expect(answers.filter((a) => a.outcome !== 200)).toEqual([]);
  expect([q.generator.dropped, q.generator.abandoned]).toEqual([0, 0]);
  expect([q.generator.due, q.generator.sent]).toEqual([answers.length, answers.length]);
  expect(q.server).toEqual({ '200': answers.length });

  // The report's figures, by hand from the recorded answers (the kill is stamped to 0.01 s, so a
  // request within 10 ms of it may fall on either side: the count is bracketed, not pinned).
  const ended = (a: DrillAnswer) => a.dueAtS + a.latencyMs / 1000;
  const surely = answers.filter((a) => a.dueAtS <= q.killedAtS - 0.01 && ended(a) > q.killedAtS + 0.01);
  const maybe = answers.filter((a) => a.dueAtS <= q.killedAtS + 0.01 && ended(a) > q.killedAtS - 0.01);
  expect(q.answers.inFlightAtKill).toBeGreaterThanOrEqual(surely.length);
  expect(q.answers.inFlightAtKill).toBeLessThanOrEqual(maybe.length);
  expect(q.answers.inFlight).toMatchObject({ answered2xx: q.answers.inFlightAtKill, failed: 0, timedOut: 0 });
  expect(q.answers.all).toEqual({
    answered2xx: answers.length,
    failed: 0,
    timedOut: 0,
    byStatus: { '200': answers.length },
  });
  expect(q.answers.slowestMs).toBe(Math.round(Math.max(...answers.map((a) => a.latencyMs))));
  const lastMs = Math.max(...surely.map((a) => (ended(a) - q.killedAtS) * 1000));
  expect(Math.abs((q.answers.lastInFlightAnsweredMs ?? 0) - lastMs)).toBeLessThanOrEqual(20);
  // The re-run jobs' own times, on BullMQ's clock: each finished after it was back in a worker.
  expect(q.jobs.lastFinishedMs ?? 0).toBeGreaterThanOrEqual(q.jobs.lastBackInWorkerMs ?? Infinity);

  const results = {
    schema: 'looplab-faults/1',
    options: { rate: 20, phaseSeconds: 2 },
    environment: { cpuModel: 'x', cpus: 2, node: 'v24', gitCommit: null, startedAt: 'now' },
    targets: [],
    events,
    buckets: [],
    recoveries: [],
    queueKill: q,
    finishedAt: 'now',
  } as unknown as FaultResults;
  const md = renderFaultsMarkdown(results, 'npm run loadtest -- --faults');
  expect(md).toContain('## Queue worker killed mid-job');
  expect(md).toContain(`| requests in flight at the kill | ${q.answers.inFlightAtKill} |`);
  expect(md).toContain(`| of those: 2xx / failed / timed out | ${q.answers.inFlightAtKill} / 0 / 0 |`);
  expect(md).toContain('QUEUE_LOCK_MS=2000, QUEUE_STALLED_MS=1000');
  const html = renderFaultsHtml(results, 'npm run loadtest -- --faults');
  expect(html).toContain('<h2>Queue worker killed mid-job</h2>');
  expect(html.match(/<rect class="bar"/g)?.length ?? 0).toBeGreaterThan(3);
}, 150_000);

describe('the worker-kill figures', () => {
  // Kill at 10 000 ms. Due and latency chosen so each case is plain by hand.
  const o = (dueAt: number, outcome: number | 'timeout' | 'error', latencyMs: number) => ({
    dueAt,
    outcome,
    latencyMs,
  });
  const outcomes = [
    o(9000, 200, 500), // done at 9500: before the kill
    o(9800, 200, 3900), // done at 13 700: in flight, 3700 ms after the kill
    o(9950, 504, 15000), // done at 24 950: in flight, failed, the slowest
    o(10000, 'timeout', 20000), // due at the kill itself: in flight, timed out, last at 30 000
    o(10100, 200, 600), // due after the kill
  ];
  it('counts as in flight what was due by the kill and answered after it', () => {
    const a = measureKillAnswers(outcomes, 10_000);
    expect(a.inFlightAtKill).toBe(3);
    expect(a.inFlight).toEqual({
      answered2xx: 1,
      failed: 1,
      timedOut: 1,
      byStatus: { '200': 1, '504': 1, timeout: 1 },
    });
    expect(a.slowestInFlightMs).toBe(20000);
    expect(a.lastInFlightAnsweredMs).toBe(20000); // 30 000 − 10 000
    expect(a.all).toMatchObject({ answered2xx: 3, failed: 1, timedOut: 1 });
  });

  it("times the held jobs' re-run from the kill, and counts other stalls apart", () => {
    const job = (
      id: string,
      state: string,
      attemptsStarted: number,
      stalledCounter: number,
      processedOn: number,
      finishedOn: number,
    ) => ({ id, state, attemptsStarted, stalledCounter, processedBy: 'w', timestamp: 0, processedOn, finishedOn });
    const records = [
      job('a', 'completed', 2, 1, 13_000, 13_600),
      job('b', 'completed', 2, 1, 12_500, 14_100),
      job('x', 'completed', 1, 0, 9_000, 9_500),
    ];
    const k = measureKilledJobs(
      ['a', 'b'],
      records,
      [records[0]!, records[1]!, job('c', 'completed', 2, 1, 11_000, 11_500)],
      10_000,
    );
    expect(k).toEqual({
      held: 2,
      completed: 2,
      failed: 0,
      rerun: 2,
      lastBackInWorkerMs: 3000,
      lastFinishedMs: 4100,
      stalledNotHeld: 1,
    });
  });

  it("reads the server's queue-mode counts for one workload by status, whatever the label order", () => {
    const text = [
      'looplab_request_duration_seconds_count{workload="fetch",mode="queue",status="200"} 7',
      'looplab_request_duration_seconds_count{mode="queue",status="504",workload="fetch"} 2',
      'looplab_request_duration_seconds_count{workload="fetch",mode="async",status="200"} 50',
      'looplab_request_duration_seconds_count{workload="db",mode="queue",status="200"} 3',
    ].join('\n');
    expect(serverCounts(text, 'fetch')).toEqual({ '200': 7, '504': 2 });
  });
});
