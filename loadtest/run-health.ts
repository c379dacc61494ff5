import { scenarioLabel } from './scenario-label.ts';
import type { Results, ScenarioResult } from './types.ts';

/** A scenario whose answers were mostly not 2xx, or that got none: its figures describe failures. */
export interface FailedScenario {
  result: ScenarioResult;
  /** A sentence saying what went wrong, for stderr. */
  reason: string;
}

/**
 * Which scenarios measured failures rather than work: no answer at all, or more than half of the
 * requests answered non-2xx or failing on the connection. Timeouts and open-model drops do not count:
 * they are how an overloaded server shows up (a blocking server far behind the offered rate), which is
 * a measurement, not a broken run.
 */
export function failedScenarios(results: Results): FailedScenario[] {
  const failed: FailedScenario[] = [];
  for (const result of results.scenarios) {
    const answered = result.runs.reduce((sum, run) => sum + run.requests, 0);
    const connectionErrors = Math.max(0, result.summary.errors - result.summary.timeouts);
    const bad = result.summary.non2xx + connectionErrors;
    const attempts = answered + connectionErrors;
    if (answered === 0) {
      failed.push({ result, reason: `${scenarioLabel(result.scenario)} got no answers (${result.summary.errors} errors, ${result.summary.timeouts} of them timeouts)` });
    } else if (bad * 2 > attempts) {
      failed.push({ result, reason: `${scenarioLabel(result.scenario)}: ${Math.round((bad / attempts) * 100)}% of ${attempts} requests failed (${result.summary.non2xx} non-2xx answers, ${connectionErrors} connection errors)` });
    }
  }
  return failed;
}

/** True when most scenarios measured failures: the run as a whole measured nothing useful. */
export function mostlyFailed(results: Results, failed: readonly FailedScenario[]): boolean {
  return results.scenarios.length === 0 || failed.length * 2 > results.scenarios.length;
}
