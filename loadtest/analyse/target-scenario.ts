/** How a `--target` run's scenarios are named and what the reports say about them (see target-run.ts). */
import type { HarnessOptions, Scenario } from '../types.ts';

/** The workload and mode a target's scenarios carry: the table shows the path, and `—` for the mode. */
export const TARGET_WORKLOAD = 'target';
export const TARGET_MODE = '—';

/** What a run against a server that is not looplab cannot show, in one line for the terminal and the reports. */
export const NOT_LOOPLAB_NOTE =
  "not looplab: no event-loop figures, bounds or verdicts; run your server with looplab's stall-blame preload and --blame-url for blame";

/** True for a scenario of a `--target` run. */
export const isTargetScenario = (s: Pick<Scenario, 'workload' | 'mode'>) =>
  s.workload === TARGET_WORKLOAD && s.mode === TARGET_MODE;

/** The canary's state, said once: without `--probe` its column is empty. */
export function probeNote(options: Pick<HarnessOptions, 'probe' | 'probeRate'>): string {
  return options.probe
    ? `canary: ${options.probe} probed ${options.probeRate}×/s from a process of its own`
    : 'no --probe given, so the canary (/health p99) column is empty';
}
