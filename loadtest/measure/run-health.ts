import { scenarioLabel } from '../analyse/scenario-key.ts';
import type { Results, ScenarioResult } from '../types.ts';

/** A scenario whose answers were mostly not 2xx, or that got none: its figures describe failures. */
export interface FailedScenario {
  result: ScenarioResult;
  /** A sentence saying what went wrong, for stderr. */
  reason: string;
}

/**
 * Which scenarios measured failures rather than work: no answer at all, or more than half of the
 * requests answered non-2xx or failing on the connection. Timeouts, open-model drops and abandoned
 * requests do not count: they are how an overloaded server shows up (a blocking server far behind the
 * offered rate), which is a measurement, not a broken run.
 */
export function failedScenarios(results: Results): FailedScenario[] {
  const failed: FailedScenario[] = [];
  for (const result of results.scenarios) {
    // Schema 2 keeps every outcome apart: `ok` 2xx answers (late ones included), `non2xx`, `errors`
    // (connection errors only) and `timeouts`.
    const { ok, non2xx, errors, timeouts, dropped, abandoned } = result.summary;
    const answered = ok + non2xx;
    const bad = non2xx + errors;
    const attempts = answered + errors;
    if (answered === 0) {
      const unsent = dropped + abandoned > 0 ? `, ${dropped + abandoned} dropped or abandoned` : '';
      failed.push({
        result,
        reason: `${scenarioLabel(result.scenario)} got no answers (${errors} connection errors, ${timeouts} timeouts${unsent})`,
      });
    } else if (bad * 2 > attempts) {
      failed.push({
        result,
        reason:
          `${scenarioLabel(result.scenario)}: ${Math.round((bad / attempts) * 100)}% of ${attempts} requests failed ` +
          `(${non2xx} non-2xx answers, ${errors} connection errors)`,
      });
    }
  }
  return failed;
}

/** True when most scenarios measured failures: the run as a whole measured nothing useful. */
export function mostlyFailed(results: Results, failed: readonly FailedScenario[]): boolean {
  return results.scenarios.length === 0 || failed.length * 2 > results.scenarios.length;
}
