import { describe, expect, it } from 'vitest';
import { measureRecovery, type Outcome } from '../../loadtest/faults/faults.ts';
import { createLatencyRecorder, supports } from '../../loadtest/measure/latency-histogram.ts';
import { machineBusy, parseProcStat } from '../../loadtest/measure/machine-cpu.ts';
import { compareRuns, mannWhitneyP, median, spread, spreadOfPresent } from '../../loadtest/analyse/stats.ts';
import { fixedRun, fixedScenario } from './fixture-results.ts';

describe('percentiles and their sample', () => {
  it('supports a percentile only when at least one sample lies above it', () => {
    expect([
      supports(1, 50),
      supports(2, 50),
      supports(99, 99),
      supports(100, 99),
      supports(999, 99.9),
      supports(1000, 99.9),
    ]).toEqual([false, true, false, true, false, true]);
  });

  it('prints no p99.9 from 144 samples, and no percentile above the maximum', () => {
    const recorder = createLatencyRecorder();
    for (let i = 1; i <= 144; i++) recorder.record(1234.567 + i / 1000);
    const s = recorder.summary();
    // By hand: 144 samples support p50, p90, p99 (≥ 100) but not p99.9 (≥ 1000); the largest is 1234.711.
    expect(s.n).toBe(144);
    expect(s.p999).toBeNull();
    expect(s.max).toBe(1234.711);
    for (const p of [s.p50, s.p90, s.p99]) expect(p).toBeLessThanOrEqual(1234.711);
  });

  it('has nothing to say about an empty run', () => {
    expect(createLatencyRecorder().summary()).toEqual({
      n: 0,
      p50: null,
      p90: null,
      p99: null,
      p999: null,
      max: null,
      mean: null,
    });
  });
});

describe('run-to-run statistics', () => {
  it('computes medians and spreads', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(spreadOfPresent([null, 2, undefined, 4])).toEqual({ median: 3, min: 2, max: 4 });
    expect(spreadOfPresent([null, null])).toBeNull();
  });

  it('gives exact Mann–Whitney p-values, worked out by hand', () => {
    // Fully separated groups: 2 of the C(n, k) splits are as extreme (one per direction).
    expect(mannWhitneyP([1, 2], [3, 4])).toBeCloseTo(2 / 6, 10);
    expect(mannWhitneyP([1, 2, 3], [4, 5, 6])).toBeCloseTo(2 / 20, 10);
    expect(mannWhitneyP([1, 2, 3, 4], [5, 6, 7, 8])).toBeCloseTo(2 / 70, 10);
    // Interleaved: ranks {1,3} sum to 4; of the six 2-of-4 rank sums (3, 4, 5, 5, 6, 7), four lie at least
    // |4 − 5| from the mean 5.
    expect(mannWhitneyP([1, 3], [2, 4])).toBeCloseTo(4 / 6, 10);
    // All tied: every split has the same rank sum.
    expect(mannWhitneyP([7, 7], [7, 7])).toBe(1);
  });

  it('says one run, inconclusive or differs', () => {
    expect(compareRuns([1], [2, 3])).toEqual({ kind: 'one-run' });
    expect(compareRuns([1, 2, 3], [10, 11, 12]).kind).toBe('inconclusive');
    expect(compareRuns([1, 2, 3, 4], [10, 11, 12, 13]).kind).toBe('differs');
  });
});

describe("summarising a scenario's runs (loadtest/summarize.ts)", () => {
  it('computes "of bound" from the bound and marks a generator that used a whole core', () => {
    // fetch/worker with delay 50 ms and 2 workers: bound 2 × 1000 / 50 = 40/s; 30/s is 75% of it.
    const r = fixedScenario('fetch', 'worker', 30, 3, { generatorCpu: 0.95 });
    expect(r.bound?.rps).toBe(40);
    expect(r.efficiency).toBe(0.75);
    expect(r.generatorBound).toBe(true);
    expect(fixedScenario('fetch', 'worker', 30, 3, { generatorCpu: 0.5 }).generatorBound).toBe(false);
  });

  it('takes medians over runs, skips percentiles a run could not support, and flags a saturated machine', () => {
    const runs = [fixedRun(10, 3), fixedRun(30, 3), fixedRun(20, 3)].map((run, i) => ({
      ...run,
      machineCpu: { busyCores: [1.9, 1.8, 1.2][i] ?? 0, cores: 2 },
    }));
    const r = fixedScenario('fetch', 'async', 0, 3, { runs });
    expect(r.summary.rps).toEqual({ median: 20, min: 10, max: 30 });
    // 10/s × 5 s = 50 answers cannot support a p99; the other two runs can (150 and 100 answers).
    expect(r.summary.p99).toEqual({ median: (1500 / 30 + 1500 / 20) / 2, min: 1500 / 30, max: 1500 / 20 });
    expect(r.summary.n).toBe(50 + 150 + 100);
    // Machine busy: 1.9/2, 1.8/2, 1.2/2 → median 0.9 → saturated.
    expect(r.summary.machineBusy?.median).toBe(0.9);
    expect(r.machineSaturated).toBe(true);
  });

  it('flags a generator whose send lag is large against the latencies', () => {
    const lagged = {
      ...fixedRun(380, 3),
      sendLag: { n: 1900, p50: 0.5, p90: 1, p99: 3, p999: null, max: 4, mean: 0.6 },
    };
    // p99 send lag 3 ms > 2 ms and > 10% of p50 (2.6 ms).
    expect(fixedScenario('fetch', 'async', 380, 3, { runs: [lagged] }).generatorLagged).toBe(true);
    const slowServer = { ...lagged, latency: { ...lagged.latency, p50: 100 } };
    expect(fixedScenario('fetch', 'async', 380, 3, { runs: [slowServer] }).generatorLagged).toBe(false);
  });
});

describe('machine CPU from /proc/stat', () => {
  const stat = (user: number, idle: number) =>
    `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 1 0 0 1 0 0 0 0 0 0\ncpu1 1 0 0 1 0 0 0 0 0 0\nintr 1\n`;
  it('counts busy cores between two readings', () => {
    expect(parseProcStat(stat(100, 300))).toEqual({ busy: 100, total: 400, cores: 2 });
    // By hand: 150 busy of 200 jiffies = 75% of 2 cores = 1.5 cores.
    expect(machineBusy(parseProcStat(stat(100, 300)), parseProcStat(stat(250, 350)))).toEqual({
      busyCores: 1.5,
      cores: 2,
    });
    expect(machineBusy(null, parseProcStat(stat(1, 1)))).toBeNull();
  });
});

describe('fault-run recovery timings', () => {
  // t0 = 0; the database stop began at 1000 ms, its restart at 3000 ms, and it was back at 3400 ms.
  const mark = { stopped: 1000, restarting: 3000, restarted: 3400 };
  const o = (dueAt: number, outcome: Outcome['outcome'], latencyMs: number): Outcome => ({ dueAt, outcome, latencyMs });
  const outcomes = [
    o(900, 200, 20),
    o(1010, 503, 300), // answered while the stop was still under way: part of the outage
    o(2000, 503, 5),
    o(3300, 200, 180), // due before it was back, answered 80 ms after: the first success
    o(3420, 200, 100), // due after it was back, but answered later (3520 ms)
    o(3350, 503, 120), // the last failure completes at 3470 ms: 70 ms after it was back
  ];
  it('counts answers from the moment the stop began, and times recovery by completion', () => {
    const r = measureRecovery('db', outcomes, mark, 0, 'database');
    expect(r.stoppedAtS).toBe(1);
    expect(r.duringOutage).toEqual({ '503': 2 });
    expect(r.slowestAnswerWhileDownMs).toBe(300);
    expect(r.firstSuccessMs).toBe(80);
    expect(r.lastFailureMs).toBe(70);
  });
});
