import { measureCpuBaseline } from './baseline.ts';
import { computeBound } from './bounds.ts';
import { describeEnvironment, fetchServerFacts } from './environment.ts';
import { runScenario } from './scenario.ts';
import { spread } from './stats.ts';
import type { RunHooks } from './run-hooks.ts';
import type { TargetProvider } from './stack.ts';
import type { CpuBaseline, HarnessOptions, Results, RunMeasurement, Scenario, ScenarioResult, ServerFacts } from './types.ts';

/** Generator CPU (in cores) above which the load generator, not the server, may be the limit. */
const GENERATOR_BOUND_CORES = 0.9;

export interface Progress {
  index: number;
  total: number;
  scenario: Scenario;
  repeat: number;
  secondsLeft: number;
}

/** Polls `/ready` until the server says its database, upstream and workers are usable. */
export async function waitUntilReady(origin: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${origin} was not ready within ${timeoutMs / 1000} s (last answer: ${last})`);
}

/** Every scenario of the matrix, in run order: worker sizes, then workloads, modes and load levels. */
export function planScenarios(options: HarnessOptions): Scenario[] {
  const workerSizes = options.workers.length > 0 ? options.workers : [undefined];
  const levels: Array<{ connections: number; rate: number | undefined }> =
    options.rates.length > 0 ? options.rates.map((rate) => ({ connections: 0, rate })) : options.connections.map((connections) => ({ connections, rate: undefined }));
  const scenarios: Scenario[] = [];
  for (const workers of workerSizes) {
    for (const workload of options.workloads) {
      const query = new URLSearchParams(options.params[workload]).toString();
      for (const mode of options.modes) {
        for (const level of levels) {
          scenarios.push({ workload, mode, ...level, workers, path: `/${workload}/${mode}${query ? `?${query}` : ''}` });
        }
      }
    }
  }
  return scenarios;
}

/** Seconds the plan takes, for the progress display. */
export function plannedSeconds(options: HarnessOptions, scenarioCount: number): number {
  return scenarioCount * options.repeat * (options.duration + options.warmup + 0.5);
}

function summarize(scenario: Scenario, runs: RunMeasurement[], options: HarnessOptions, facts: ServerFacts | null, baseline: CpuBaseline): ScenarioResult {
  const pick = (f: (r: RunMeasurement) => number) => spread(runs.map(f));
  const sum = (f: (r: RunMeasurement) => number) => runs.reduce((acc, r) => acc + f(r), 0);
  const servers = runs.map((r) => r.server).filter((s) => s !== null);
  const summary: ScenarioResult['summary'] = {
    rps: pick((r) => r.rps),
    p50: pick((r) => r.latency.p50),
    p90: pick((r) => r.latency.p90),
    p99: pick((r) => r.latency.p99),
    p999: pick((r) => r.latency.p999),
    max: pick((r) => r.latency.max),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    dropped: sum((r) => r.dropped),
    healthP50: pick((r) => r.health.p50),
    healthP99: pick((r) => r.health.p99),
    healthMax: pick((r) => r.health.max),
    eventLoopDelayP99Ms: servers.length > 0 ? spread(servers.map((s) => s.eventLoopDelayP99Ms)) : null,
    eventLoopUtilization: servers.length > 0 ? spread(servers.map((s) => s.eventLoopUtilization)) : null,
    generatorCpu: pick((r) => r.generatorCpu),
  };
  const bound = facts ? computeBound(scenario, options.params[scenario.workload], facts, baseline) : null;
  return {
    scenario,
    runs,
    summary,
    bound,
    efficiency: bound ? summary.rps.median / bound.rps : null,
    generatorBound: summary.generatorCpu.median >= GENERATOR_BOUND_CORES,
  };
}

/**
 * Runs the whole matrix and returns every figure. It prints nothing: progress goes to `onProgress`,
 * and rendering is the reports' job.
 */
export async function runMatrix(options: HarnessOptions, targets: TargetProvider, onProgress: (p: Progress) => void = () => {}, hooks: RunHooks = {}): Promise<Results> {
  const startedAt = new Date();
  const scenarios = planScenarios(options);
  const perRun = options.duration + options.warmup + 0.5;
  const results: ScenarioResult[] = [];
  let firstFacts: ServerFacts | null = null;
  let baseline: CpuBaseline = {};
  let index = 0;

  const workerSizes = options.workers.length > 0 ? options.workers : [undefined];
  for (const workers of workerSizes) {
    const target = await targets.start(workers);
    try {
      // Worker threads compile their TypeScript after the server listens; measuring before they are
      // ready would charge their start-up to the first scenario (and to the CPU baseline).
      await waitUntilReady(target.origin);
      const facts = await fetchServerFacts(target.origin);
      firstFacts ??= facts;
      // The CPU baseline does not depend on the pool size: measure it once, on the first server.
      if (results.length === 0) baseline = await measureCpuBaseline(target.origin, options);
      for (const scenario of scenarios.filter((s) => s.workers === workers)) {
        const runs: RunMeasurement[] = [];
        for (let repeat = 1; repeat <= options.repeat; repeat++) {
          onProgress({ index: index + 1, total: scenarios.length, scenario, repeat, secondsLeft: Math.round((scenarios.length - index) * options.repeat * perRun - (repeat - 1) * perRun) });
          runs.push(await runScenario(target.origin, scenario, { durationSeconds: options.duration, warmupSeconds: options.warmup, probeRate: options.probeRate, hooks }));
        }
        results.push(summarize(scenario, runs, options, facts, baseline));
        index++;
      }
    } finally {
      await target.stop();
    }
  }
  return {
    schema: 'looplab-loadtest/1',
    options,
    environment: describeEnvironment(firstFacts, options.url === undefined, startedAt),
    cpuBaseline: baseline,
    scenarios: results,
    finishedAt: new Date().toISOString(),
  };
}
