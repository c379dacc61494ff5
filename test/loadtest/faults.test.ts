import { beforeAll, expect, it } from 'vitest';
import { runFaultDrill, type DrillAnswer, type FaultResults } from '../../loadtest/faults/faults.ts';
import { renderFaultsHtml, renderFaultsMarkdown } from '../../loadtest/faults/faults-report.ts';

/**
 * The fault run, for real, once: its own embedded PostgreSQL and upstream are stopped and restarted
 * under constant-rate load, then a queue worker is SIGKILLed mid-job (a queue-mode server with
 * QUEUE_WORKERS=0, two `npm run worker` processes of the harness, open-model load on /fetch/queue).
 * The server must refuse fast while a dependency is down, recover by itself, and lose no queue job.
 */
const options = { rate: 20, phaseSeconds: 2 };
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const drillAnswers: DrillAnswer[] = [];
let results: FaultResults;
beforeAll(async () => {
  results = await runFaultDrill(
    options,
    () => {},
    (a) => drillAnswers.push(a),
  );
}, 300_000);

it('refuses fast while a dependency is down and recovers by itself when it is back', () => {
  const answers = drillAnswers;
  expect(results.events.map((e) => e.what).slice(0, 6)).toEqual([
    'database stopping',
    'database stopped',
    'database accepts connections again',
    'upstream stopping',
    'upstream stopped',
    'upstream accepts connections again',
  ]);
  const [db, upstream] = results.recoveries;
  // "While down" starts when the stop begins: a request the dependency finished during its own shutdown
  // may still succeed, but nothing else than a fast refusal comes back, and refusals are most of it.
  const refusals = (r: typeof db, status: string) => {
    expect(
      Object.keys(r?.duringOutage ?? {}).filter((k) => k !== '200'),
      r?.dependency,
    ).toEqual([status]);
    expect(r?.duringOutage[status] ?? 0, r?.dependency).toBeGreaterThan(10 * (r?.duringOutage['200'] ?? 0));
  };
  refusals(db, '503');
  refusals(upstream, '502');
  // No hang while it is down, by status rather than by a clock (5.1 s was seen against a 6 s bound on a
  // busy machine): a request that hung would be a 504 at the server's 5 s deadline or a client timeout,
  // and the check above lets through nothing but the refusal and 200. Recovery likewise, by event: a
  // first success after the restart, and below, every request due after it answered 200.
  for (const r of results.recoveries) expect(r.firstSuccessMs, r.dependency).not.toBeNull();
  // Fast, by the median rather than the slowest: a refusal answers in milliseconds, one that waited out
  // a timeout in seconds, and one request that waited for a CPU (or for PostgreSQL's own shutdown)
  // moves a maximum, not a median.
  for (const r of results.recoveries) {
    const whileDown = drillAnswers
      .filter((a) => a.workload === r.workload && a.dueAtS >= r.stoppedAtS && a.dueAtS < r.restartingAtS)
      .map((a) => a.latencyMs)
      .sort((a, b) => a - b);
    expect(whileDown.length, r.dependency).toBeGreaterThan(0);
    expect(whileDown[Math.floor(whileDown.length / 2)], r.dependency).toBeLessThan(1_000);
  }
  // While its dependency is up, a workload answers every request with 200. By the request's whole life,
  // not the second it was due: on a busy machine a request due before the stop may still be in flight
  // when it begins (seen: due 0.85 s before, answered 503 0.24 s after). So calm is a request answered
  // before the stop began (less 10 ms: the marks are rounded to 0.01 s), or due after the first success
  // that followed the restart: from then on the server had reconnected, and nothing may fail again.
  for (const r of results.recoveries) {
    const recoveredAtS = r.restartedAtS + (r.firstSuccessMs ?? Infinity) / 1000;
    const calm = answers.filter(
      (a) =>
        a.workload === r.workload &&
        !a.path.includes('/queue') &&
        (a.dueAtS + a.latencyMs / 1000 < r.stoppedAtS - 0.01 || a.dueAtS > recoveredAtS + 0.01),
    );
    expect(calm.length, r.dependency).toBeGreaterThanOrEqual(options.rate * options.phaseSeconds);
    expect(
      calm.filter((a) => a.outcome !== 200),
      `/${r.workload}/async while the ${r.dependency} was up`,
    ).toEqual([]);
  }

  const md = renderFaultsMarkdown(results, 'npm run loadtest -- --faults');
  expect(md).toContain('| database | /db/async |');
  expect(md).toContain('## Queue worker killed mid-job');
  const html = renderFaultsHtml(results, 'npm run loadtest -- --faults');
  expect(html).toContain('<svg class="chart"');
  expect(html.match(/<rect class="bar"/g)?.length ?? 0).toBeGreaterThan(10);
});

it('loses no request when a queue worker is SIGKILLed mid-job: BullMQ re-runs what it held', () => {
  const { events: all, queueKill: q } = results;
  if (!q) throw new Error('the fault run had no queue worker kill');
  const events = all.slice(6); // after the database and upstream phases
  const answers = drillAnswers.filter((a) => a.path.includes('/queue'));
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

  // The report of this run shows the kill with these figures.
  const md = renderFaultsMarkdown(results, 'npm run loadtest -- --faults');
  expect(md).toContain('## Queue worker killed mid-job');
  expect(md).toContain(`| requests in flight at the kill | ${q.answers.inFlightAtKill} |`);
  expect(md).toContain(`| of those: 2xx / failed / timed out | ${q.answers.inFlightAtKill} / 0 / 0 |`);
  expect(md).toContain('QUEUE_LOCK_MS=2000, QUEUE_STALLED_MS=1000');
  const html = renderFaultsHtml(results, 'npm run loadtest -- --faults');
  expect(html).toContain('<h2>Queue worker killed mid-job</h2>');
  expect(html.match(/<rect class="bar"/g)?.length ?? 0).toBeGreaterThan(3);
});
