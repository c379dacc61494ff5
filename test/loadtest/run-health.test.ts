import { describe, expect, it } from 'vitest';
import { failedScenarios, mostlyFailed } from '../../loadtest/measure/run-health.ts';
import type { ScenarioResult } from '../../loadtest/types.ts';
import { fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

/**
 * A fixture scenario with `answered` answers of which `non2xx` failed, plus connection errors and
 * timeouts (kept apart, as schema 2 does), summarised by the harness's own code.
 */
function scenario(
  mode: 'blocking' | 'async' | 'worker',
  answered: number,
  non2xx: number,
  errors = 0,
  timeouts = 0,
): ScenarioResult {
  const ok = answered - non2xx;
  const run = { ...fixedRun(10, 5), due: answered + errors + timeouts, ok, okInWindow: ok, non2xx, errors, timeouts };
  return fixedScenario('fetch', mode, 10, 5, { runs: [run] });
}

describe('judging whether a run measured failures', () => {
  it('names a scenario with no answers, and one whose answers were mostly not 2xx', () => {
    const results = fixedResults([
      scenario('blocking', 0, 0, 0, 3),
      scenario('async', 10, 6),
      scenario('worker', 10, 5),
    ]);
    const failed = failedScenarios(results);
    expect(failed.map((f) => f.reason)).toEqual([
      'fetch/blocking at 20 connections got no answers (0 connection errors, 3 timeouts)',
      'fetch/async at 20 connections: 60% of 10 requests failed (6 non-2xx answers, 0 connection errors)',
    ]);
    expect(mostlyFailed(results, failed)).toBe(true);
  });

  it('counts connection errors as failures, but not timeouts: an overloaded server is a measurement', () => {
    const refused = fixedResults([scenario('async', 4, 0, 10, 0)]);
    expect(failedScenarios(refused)).toHaveLength(1);
    const overloaded = fixedResults([scenario('blocking', 20, 0, 0, 300)]);
    expect(failedScenarios(overloaded)).toEqual([]);
    // Open model far behind the offered rate: what it could not send or hear back in time is overload too.
    const behind = fixedScenario('fetch', 'blocking', 10, 5, {
      runs: [{ ...fixedRun(10, 5), ok: 20, okInWindow: 20, dropped: 500, abandoned: 50 }],
    });
    expect(failedScenarios(fixedResults([behind]))).toEqual([]);
  });

  it('fails the run only when most scenarios failed', () => {
    const results = fixedResults([scenario('blocking', 0, 0), scenario('async', 100, 0), scenario('worker', 100, 1)]);
    const failed = failedScenarios(results);
    expect(failed).toHaveLength(1);
    expect(mostlyFailed(results, failed)).toBe(false);
    expect(mostlyFailed(fixedResults([]), [])).toBe(true);
  });
});
