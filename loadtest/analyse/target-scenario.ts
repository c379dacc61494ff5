/** How a `--target` run's scenarios are named and what the reports say about them (see target-run.ts). */
import type { HarnessOptions, Scenario, ScenarioResult } from '../types.ts';

/** The workload and mode a target's scenarios carry: the table shows the path, and `—` for the mode. */
export const TARGET_WORKLOAD = 'target';
export const TARGET_MODE = '—';

/**
 * What a run against a server that is not looplab cannot show, in one line for the terminal and the
 * reports; with `--blame-url` it says where the blame comes from instead of asking for it.
 */
export function notLooplabNote(options: Pick<HarnessOptions, 'blameUrl'>): string {
  return options.blameUrl
    ? `not looplab: no event-loop figures, bounds or verdicts; stall blame from ${options.blameUrl}`
    : "not looplab: no event-loop figures, bounds or verdicts; run your server with looplab's stall-blame preload and --blame-url for blame";
}

/**
 * Why a row is marked `*` (its figures may be the machine's limit), in words: a target has no verdict
 * to say it, so its line under the table does.
 */
export function machineLimitReasons(
  r: Pick<ScenarioResult, 'generatorBound' | 'generatorLagged' | 'machineSaturated'>,
): string[] {
  return [
    ...(r.generatorBound ? ['the load generator used about a whole core'] : []),
    ...(r.generatorLagged ? ['the generator sent late (send-lag p99 above 2 ms and 10% of p50)'] : []),
    ...(r.machineSaturated ? ["the machine's CPU was ≥ 90% busy"] : []),
  ];
}

/** True for a scenario of a `--target` run. */
export const isTargetScenario = (s: Pick<Scenario, 'workload' | 'mode'>) =>
  s.workload === TARGET_WORKLOAD && s.mode === TARGET_MODE;

/** The canary's state, said once: without `--probe` its column is empty. */
export function probeNote(options: Pick<HarnessOptions, 'probe' | 'probeRate'>): string {
  return options.probe
    ? `canary: ${options.probe} probed ${options.probeRate}×/s from a process of its own`
    : 'no --probe given, so the canary (/health p99) column is empty';
}
