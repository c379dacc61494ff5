import { describe, expect, it } from 'vitest';
import { failedScenarios, mostlyFailed } from '../../loadtest/run-health.ts';
import type { ScenarioResult } from '../../loadtest/types.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

/** A fixture scenario with `answered` answers of which `non2xx` failed, plus errors and timeouts. */
function scenario(mode: 'blocking' | 'async' | 'worker', answered: number, non2xx: number, errors = 0, timeouts = 0): ScenarioResult {
  const base = fixedScenario('fetch', mode, 10, 5);
  return {
    ...base,
    runs: base.runs.map((r) => ({ ...r, requests: answered, non2xx, errors, timeouts })),
    summary: { ...base.summary, non2xx, errors, timeouts },
  };
}

describe('judging whether a run measured failures', () => {
  it('names a scenario with no answers, and one whose answers were mostly not 2xx', () => {
    const results = fixedResults([scenario('blocking', 0, 0, 3, 3), scenario('async', 10, 6), scenario('worker', 10, 5)]);
    const failed = failedScenarios(results);
    expect(failed.map((f) => f.reason)).toEqual([
      'fetch/blocking at 20 connections got no answers (3 errors, 3 of them timeouts)',
      'fetch/async at 20 connections: 60% of 10 requests failed (6 non-2xx answers, 0 connection errors)',
    ]);
    expect(mostlyFailed(results, failed)).toBe(true);
  });

  it('counts connection errors as failures, but not timeouts: an overloaded server is a measurement', () => {
    const refused = fixedResults([scenario('async', 4, 0, 10, 0)]);
    expect(failedScenarios(refused)).toHaveLength(1);
    const overloaded = fixedResults([scenario('blocking', 20, 0, 300, 300)]);
    expect(failedScenarios(overloaded)).toEqual([]);
  });

  it('fails the run only when most scenarios failed', () => {
    const results = fixedResults([scenario('blocking', 0, 0), scenario('async', 100, 0), scenario('worker', 100, 1)]);
    const failed = failedScenarios(results);
    expect(failed).toHaveLength(1);
    expect(mostlyFailed(results, failed)).toBe(false);
    expect(mostlyFailed(fixedResults([]), [])).toBe(true);
  });
});
