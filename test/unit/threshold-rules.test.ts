import { describe, expect, it } from 'vitest';
import { evaluateThreshold, parseThreshold } from '../../loadtest/analyse/thresholds.ts';
import { blankBlame } from '../../loadtest/measure/blame-window.ts';
import type { Results } from '../../loadtest/types.ts';
import { fixedResults, fixedRun, fixedScenario } from '../loadtest/fixture-results.ts';

/**
 * One scenario, hash/blocking, of one fixedRun(40 req/s, /health p99 900 ms) over 5 s: 200 answers, so
 * by hand p50 = 1000/40 = 25 ms, p90 = 1200/40 = 30 ms, p99 = 1500/40 = 37.5 ms, no p99.9 (under 1000
 * answers), max = 2000/40 = 50 ms, loop busy 99% (fixedRun's busy loop above a 100 ms /health p99).
 */
function hashBlocking(change: (r: Results) => void = () => {}): Results {
  const results = fixedResults([fixedScenario('hash', 'blocking', 40, 900)]);
  change(results);
  return results;
}

const passes = (source: string, results: Results = hashBlocking()) =>
  evaluateThreshold(parseThreshold(source), results).passed;

describe('a threshold’s comparison, at its boundary', () => {
  it('holds a strict comparison false, and a non-strict one true, when the figure equals the bound', () => {
    expect(passes('hash.blocking.rps>40')).toBe(false);
    expect(passes('hash.blocking.rps>=40')).toBe(true);
    expect(passes('hash.blocking.rps<40')).toBe(false);
    expect(passes('hash.blocking.rps<=40')).toBe(true);
    expect(passes('hash.blocking.rps==40')).toBe(true);
  });

  it('keeps each comparison’s direction away from the boundary', () => {
    expect([passes('hash.blocking.rps>39'), passes('hash.blocking.rps>41')]).toEqual([true, false]);
    expect([passes('hash.blocking.rps>=39'), passes('hash.blocking.rps>=41')]).toEqual([true, false]);
    expect([passes('hash.blocking.rps<41'), passes('hash.blocking.rps<39')]).toEqual([true, false]);
    expect([passes('hash.blocking.rps<=41'), passes('hash.blocking.rps<=39')]).toEqual([true, false]);
    expect(passes('hash.blocking.rps==41')).toBe(false);
  });
});

describe('each latency figure a threshold reads, in ms', () => {
  it('reads p50, p90, p99 and max from the scenario’s medians', () => {
    // By hand (see hashBlocking): 25, 30, 37.5 and 50 ms; each passes at its value and fails just below.
    for (const [metric, ms] of [
      ['p50', 25],
      ['p90', 30],
      ['p99', 37.5],
      ['max', 50],
    ] as const) {
      expect([passes(`hash.blocking.${metric}<=${ms}`), passes(`hash.blocking.${metric}<${ms}`)]).toEqual([
        true,
        false,
      ]);
    }
    expect(passes('hash.blocking.health_p99<=900')).toBe(true);
    expect(passes('hash.blocking.health_p99<900')).toBe(false);
  });

  it('fails a gate on a figure the run could not give, rather than reading it as zero', () => {
    // 200 answers cannot support a p99.9; a bound no figure could exceed still fails.
    const p999 = evaluateThreshold(parseThreshold('hash.blocking.p999<1000000'), hashBlocking());
    expect(p999.passed).toBe(false);
    expect(p999.detail).toContain('not measured (it needs enough samples');
    // A run without the server's /metrics (--url): no loop figures, no canary.
    const bare = hashBlocking((r) => {
      const s = r.scenarios[0];
      if (s) s.summary = { ...s.summary, eventLoopUtilization: null, healthP99: null, p50: null, p90: null, max: null };
      // No bound model either (a --target run): no efficiency.
      if (s) s.efficiency = null;
    });
    for (const gate of [
      'hash.blocking.loop_busy<100',
      'hash.blocking.health_p99<100000',
      'hash.blocking.p50<100000',
      'hash.blocking.max<100000',
      'hash.blocking.p90<100000',
      'hash.blocking.efficiency>=0',
    ])
      expect(passes(gate, bare), gate).toBe(false);
  });
});

describe('stalled_ms, from the runs whose blame was read', () => {
  it('leaves out a run whose blame endpoint did not answer', () => {
    // Two runs: one with 30 ms of stalls, one whose /blame call failed (its zeros are no measurement).
    const stalled = { ...blankBlame('http://127.0.0.1:1'), stallMs: 30 };
    const failed = { ...blankBlame('http://127.0.0.1:1', 'connect ECONNREFUSED'), stallMs: 0 };
    const runs = [fixedRun(40, 900, { blame: stalled }), fixedRun(40, 900, { blame: failed })];
    const results = fixedResults([fixedScenario('hash', 'blocking', 40, 900, { runs })]);
    // By hand: the median of [30] is 30; with the failed run counted it would be the median of [30, 0] = 15.
    expect(passes('hash.blocking.stalled_ms>=30', results)).toBe(true);
  });
});

describe('reading a threshold', () => {
  it('reads a right side ending in digits as a reference, not as a number', () => {
    expect(parseThreshold('hash.worker.p99<hash.blocking.p99')).toMatchObject({
      op: '<',
      factor: 1,
      right: { workload: 'hash', mode: 'blocking', metric: 'p99' },
    });
  });

  it('reads decimals of more than one digit, alone and as a factor', () => {
    expect(parseThreshold('hash.blocking.p99<37.55')).toMatchObject({ factor: 37.55, right: null });
    expect(parseThreshold('hash.worker.rps>=1.25*hash.blocking.rps')).toMatchObject({
      factor: 1.25,
      right: { metric: 'rps' },
    });
  });

  it('refuses a reference of more than three parts', () => {
    expect(() => parseThreshold('hash.blocking.extra.p99<3')).toThrow(/not workload.mode.metric/);
  });
});
