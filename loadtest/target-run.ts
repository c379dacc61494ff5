/**
 * `--target URL`: the same models, canary, report and thresholds against any HTTP endpoint — a server the
 * harness did not start and that need not be looplab. Nothing that needs looplab's index (`GET /`),
 * `/ready`, `/<name>/bound` or `/metrics` is asked for, so the figures that come from them stay empty.
 * With `--target PATHS -- <command>`, each path on the server the command started is a target of its own.
 */
import { LOOPLAB_VERSION } from '../lib/version.ts';
import { scenarioLoop, type Progress } from './scenario-loop.ts';
import { summarize } from './analyse/summarize.ts';
import { describeEnvironment } from './stack/environment.ts';
import { TARGET_MODE } from './analyse/target-scenario.ts';
import {
  type RunHooks,
  RESULTS_SCHEMA,
  type HarnessOptions,
  type Results,
  type Scenario,
  type ScenarioResult,
} from './types.ts';
import { httpGet } from './stack/http-get.ts';

/**
 * One request before any load, so a wrong URL is one sentence rather than a window of errors (any HTTP
 * status will do: what the endpoint answers under load is what the run measures).
 */
async function checkAnswers(target: string): Promise<void> {
  try {
    const res = await httpGet(target, 10_000);
    await res.dump();
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    throw new Error(
      `--target: nothing answers at ${target} (${typeof cause?.code === 'string' ? cause.code : (err as Error).message})`,
    );
  }
}

/** The URLs a run loads: `--target URL` itself, or each of `--target PATHS` on the started server's origin. */
export function targetUrls(options: Pick<HarnessOptions, 'targetPaths'> & { target: string }): string[] {
  return options.targetPaths?.map((path) => new URL(path, options.target).href) ?? [options.target];
}

/**
 * One scenario per target and load level, named by the target's path and query (`/orders`): that name
 * is the section of the tables and the workload of results.json and thresholds (`'/orders'.p99<300`).
 */
export function planTargetScenarios(options: HarnessOptions & { target: string }): Scenario[] {
  return targetUrls(options).flatMap((target): Scenario[] => {
    const url = new URL(target);
    const path = `${url.pathname}${url.search}`;
    const base = { workload: path, mode: TARGET_MODE, workers: undefined, path };
    if (options.rates.length > 0) return options.rates.map((rate) => ({ ...base, connections: 0, rate }));
    return options.connections.map((connections) => ({ ...base, connections, rate: undefined }));
  });
}

/** Runs every load level against the target and returns the results, shaped like a matrix's. */
export async function runTarget(
  options: HarnessOptions & { target: string },
  onProgress: (p: Progress) => void = () => {},
  hooks: RunHooks = {},
): Promise<Results> {
  const startedAt = new Date();
  const origin = new URL(options.target).origin;
  for (const url of targetUrls(options)) await checkAnswers(url);
  const scenarios = planTargetScenarios(options);
  const repeatScenario = scenarioLoop(options, scenarios, onProgress, hooks);
  const server = {
    signals: { healthPath: options.probe ?? null, metrics: false },
    blameUrl: options.blame ? options.blameUrl : undefined,
  };
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const runs = await repeatScenario(origin, scenario, server);
    // No bound model, no pool sizes, no CPU baseline: the server said nothing about itself.
    results.push(summarize(scenario, runs, null, null, {}));
  }
  return {
    schema: RESULTS_SCHEMA,
    looplabVersion: LOOPLAB_VERSION,
    options,
    environment: describeEnvironment(null, false, startedAt),
    cpuBaseline: {},
    scenarios: results,
    finishedAt: new Date().toISOString(),
  };
}
