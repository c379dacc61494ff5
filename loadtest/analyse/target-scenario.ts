/** How a `--target` run's scenarios are named and what the reports say about them (see target-run.ts). */
import type { HarnessOptions, Scenario, ScenarioResult } from '../types.ts';

/**
 * A target's scenarios carry its path as their workload and `—` as their mode (no looplab mode is named
 * so: mode names are lowercase letters, digits and dashes). `target` is what a threshold may call the
 * one target of a run with one (`target.p99<300`).
 */
export const TARGET_WORKLOAD = 'target';
export const TARGET_MODE = '—';

/**
 * What a run against a server that is not looplab cannot show, in one line for the terminal and the
 * reports; with `--blame-url` it says where the blame comes from instead of asking for it.
 */
export function notLooplabNote(options: Pick<HarnessOptions, 'blameUrl' | 'command'>): string {
  if (options.command && options.blameUrl)
    return 'not looplab: no event-loop figures, bounds or verdicts; stall blame from the preload the harness started it with';
  return options.blameUrl
    ? `not looplab: no event-loop figures, bounds or verdicts; stall blame from ${options.blameUrl}`
    : "not looplab: no event-loop figures, bounds or verdicts; for blame, give your server's command after -- " +
        "(--target /path -- node server.js), or run it with looplab's stall-blame preload and give --blame-url";
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
export const isTargetScenario = (s: Pick<Scenario, 'mode'>) => s.mode === TARGET_MODE;

/** The canary's state, said once: without `--probe` its column is empty. */
export function probeNote(options: Pick<HarnessOptions, 'probe' | 'probeRate'>): string {
  return options.probe
    ? `canary: ${options.probe} probed ${options.probeRate}×/s from a process of its own`
    : 'no --probe given, so the canary (/health p99) column is empty';
}
