import { describe, expect, it } from 'vitest';
import { createOutcomeLog } from '../../loadtest/measure/outcome-log.ts';

/**
 * README, results.json: `timeline` has "one entry per second the window touched, the last maybe
 * partial: `{ t, ok, failed, p50, p99, healthP99 }`, by completion time; a second with fewer than 100
 * answers has its maximum as p99". Each second's p50 and p99 here are computed by hand (nearest rank)
 * from the answers the test recorded in that second.
 */
const START = 10_000; // a performance.now() time; the log counts seconds from it

describe('the per-second timeline', () => {
  it('puts each answer in the second it ended, by completion time, and counts failures apart', () => {
    const log = createOutcomeLog(START);
    log.record(200, 5, START + 999.9); // second 0
    log.record(200, 900, START + 1000); // second 1: ended at 1.000 s, sent long before
    log.record(503, 1, START + 1500); // second 1, a failure: not in the latencies
    log.record('error', null, START + 2500); // second 2
    const timeline = log.timeline(4);
    expect(timeline.map((s) => [s.t, s.ok, s.failed])).toEqual([
      [0, 1, 0],
      [1, 1, 1],
      [2, 0, 1],
      [3, 0, 0],
    ]);
    expect(timeline.map((s) => s.p50)).toEqual([5, 900, null, null]);
    expect(timeline.map((s) => s.healthP99)).toEqual([null, null, null, null]);
  });

  it('gives a second of 200 answers its nearest-rank p50 and p99', () => {
    const log = createOutcomeLog(START);
    // Latencies 1..200 ms, recorded out of order within second 0.
    const latencies = Array.from({ length: 200 }, (_, i) => 200 - i);
    for (const ms of latencies) log.record(200, ms, START + 10 + ms);
    const [second] = log.timeline(1);
    // Nearest rank: p50 is the 100th of 200 sorted values, p99 the 198th.
    expect(second).toMatchObject({ ok: 200, p50: 100, p99: 198 });
  });

  it('gives a second of fewer than 100 answers its maximum as p99', () => {
    const log = createOutcomeLog(START);
    for (const ms of [30, 10, 20, 99.5, 40]) log.record(200, ms, START + 2000 + ms);
    const [, , second] = log.timeline(3);
    expect(second).toMatchObject({ ok: 5, p50: 30, p99: 99.5 });
  });

  it('keeps a second of 100 answers at the 99th value, not the maximum', () => {
    const log = createOutcomeLog(START);
    for (let ms = 1; ms <= 100; ms++) log.record(200, ms, START + 100);
    expect(log.timeline(1)[0]).toMatchObject({ p50: 50, p99: 99 });
  });

  it('rounds to the microsecond, and ignores answers that ended before the start', () => {
    const log = createOutcomeLog(START);
    log.record(200, 1.23456, START + 1);
    log.record(200, 7, START - 1);
    expect(log.timeline(1)[0]).toMatchObject({ ok: 1, p50: 1.235, p99: 1.235 });
    expect(log.counts.ok).toBe(2); // still an answer; only not in any second
  });

  it('joins two generators’ logs second by second, as one log of all the answers would have it', () => {
    const one = createOutcomeLog(START);
    const a = createOutcomeLog(START);
    const b = createOutcomeLog(START);
    for (let i = 0; i < 150; i++) {
      const ms = (i * 37) % 101;
      const at = START + ((i * 13) % 2000);
      one.record(200, ms, at);
      (i % 2 ? a : b).record(200, ms, at);
    }
    a.absorb(b.data());
    expect(a.timeline(2)).toEqual(one.timeline(2));
  });
});
