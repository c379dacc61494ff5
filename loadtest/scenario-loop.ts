import { runSeconds } from './cli/eta.ts';
import { runScenario, type RunSettings } from './measure/scenario.ts';
import type { HarnessOptions, RunHooks, RunMeasurement, Scenario } from './types.ts';

/** Where a run is: the scenario and repeat about to start, and the seconds the rest of the plan should take. */
export interface Progress {
  index: number;
  total: number;
  scenario: Scenario;
  repeat: number;
  secondsLeft: number;
}

/** What a server offers beside the load, which differs between a looplab server and a `--target`. */
type ServerSignals = Pick<RunSettings, 'signals' | 'blameUrl'>;

/**
 * The one loop the matrix and `--target` share: runs a planned scenario `options.repeat` times with the
 * run's settings, announcing each run with the seconds left for the whole plan (eta.ts's expected run
 * length for every run not yet done). `plan` is every scenario of the run, in run order; the caller
 * runs them in that order, on whichever server each belongs to.
 */
export function scenarioLoop(
  options: HarnessOptions,
  plan: Scenario[],
  onProgress: (p: Progress) => void,
  hooks: RunHooks,
): (origin: string, scenario: Scenario, server?: ServerSignals) => Promise<RunMeasurement[]> {
  const perRun = plan.map((s) => runSeconds(options, s).expected);
  return async function repeatScenario(origin, scenario, server = {}) {
    const index = plan.indexOf(scenario);
    const later = perRun.slice(index + 1).reduce((a, b) => a + b, 0) * options.repeat;
    const runs: RunMeasurement[] = [];
    for (let repeat = 1; repeat <= options.repeat; repeat++) {
      onProgress({
        index: index + 1,
        total: plan.length,
        scenario,
        repeat,
        secondsLeft: Math.round(later + (options.repeat - repeat + 1) * (perRun[index] ?? 0)),
      });
      runs.push(
        await runScenario(origin, scenario, {
          durationSeconds: options.duration,
          warmupSeconds: options.warmup,
          probeRate: options.probeRate,
          generators: options.generators,
          hooks,
          ...server,
        }),
      );
    }
    return runs;
  };
}
