import { describe, expect, it } from 'vitest';
import { measureKillAnswers, measureKilledJobs, serverCounts } from '../../loadtest/faults/queue-kill-figures.ts';

/** The worker-kill figures by hand. The drill itself, for real, is checked in faults.test.ts. */
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
