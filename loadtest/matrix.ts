import { LOOPLAB_VERSION } from '../lib/version.ts';
import { measureCpuBaseline, remeasureCpuBaseline } from './measure/baseline.ts';
import { describeEnvironment, fetchServerFacts } from './stack/environment.ts';
import { discoverPlan } from './stack/discover.ts';
import { waitUntilReady } from './stack/wait-for-url.ts';
import { summarize } from './analyse/summarize.ts';
import {
  type RunHooks,
  RESULTS_SCHEMA,
  type CpuBaseline,
  type HarnessOptions,
  type QueueBackendName,
  type Results,
  type Scenario,
  type ScenarioResult,
  type ServerFacts,
} from './types.ts';
import type { TargetProvider } from './stack/stack.ts';
import { scenarioLoop, type Progress } from './scenario-loop.ts';

interface ServerShape {
  processes: number | undefined;
  workers: number | undefined;
  /** With --queue-backends: this server's queue backend; only the first backend's server runs the other modes. */
  queueBackend: QueueBackendName | undefined;
}

/** The servers a run starts, in order: each process count (CLUSTER) with each worker-pool size and each queue backend. */
function serverShapes(options: HarnessOptions): ServerShape[] {
  const processCounts = options.processes.length > 0 ? options.processes : [undefined];
  const workerSizes = options.workers.length > 0 ? options.workers : [undefined];
  const backends = options.queueBackends?.length ? options.queueBackends : [undefined];
  return processCounts.flatMap((processes) =>
    workerSizes.flatMap((workers) => backends.map((queueBackend) => ({ processes, workers, queueBackend }))),
  );
}

/** The modes a server shape runs: all of them on the first backend's server, only queue on the others'. */
function shapeModes(options: HarnessOptions, shape: ServerShape): string[] {
  const first = options.queueBackends?.[0];
  return shape.queueBackend === undefined || shape.queueBackend === first
    ? options.modes
    : options.modes.filter((m) => m === 'queue');
}

/** Whether a scenario runs on a server shape (each belongs to one: a queue scenario to its backend's, the others to the first backend's). */
function onShape(s: Scenario, shape: ServerShape, options: HarnessOptions): boolean {
  const backend = s.mode === 'queue' ? s.queueBackend : options.queueBackends?.[0];
  return s.workers === shape.workers && s.processes === shape.processes && backend === shape.queueBackend;
}

/** Every scenario of the matrix, in run order: server shapes, then workloads, modes and load levels. */
export function planScenarios(options: HarnessOptions): Scenario[] {
  const levels: Array<{ connections: number; rate: number | undefined }> =
    options.rates.length > 0
      ? options.rates.map((rate) => ({ connections: 0, rate }))
      : options.connections.map((connections) => ({ connections, rate: undefined }));
  const scenarios: Scenario[] = [];
  for (const shape of serverShapes(options)) {
    const { processes, workers, queueBackend } = shape;
    for (const workload of options.workloads) {
      const query = new URLSearchParams(options.params[workload]).toString();
      // A workload without one of the modes (a file with no async form) has no scenario for it.
      const has = options.discovered?.[workload]?.modes;
      for (const mode of shapeModes(options, shape).filter((m) => !has || has.includes(m))) {
        const backend = mode === 'queue' && queueBackend !== undefined ? { queueBackend } : {};
        for (const level of levels) {
          scenarios.push({
            workload,
            mode,
            ...level,
            workers,
            ...(processes !== undefined ? { processes } : {}),
            ...backend,
            path: `/${workload}/${mode}${query ? `?${query}` : ''}`,
          });
        }
      }
    }
  }
  return scenarios;
}

/**
 * Runs the whole matrix and returns every figure. It prints nothing: progress goes to `onProgress`,
 * and rendering is the reports' job.
 */
export async function runMatrix(
  options: HarnessOptions,
  targets: TargetProvider,
  onProgress: (p: Progress) => void = () => {},
  hooks: RunHooks = {},
): Promise<Results> {
  const startedAt = new Date();
  // The workloads, their modes, parameters and bounds are the server's to say (the CLI asks first).
  if (!options.discovered) ({ options, targets } = await discoverPlan(targets, options));
  const scenarios = planScenarios(options);
  const repeatScenario = scenarioLoop(options, scenarios, onProgress, hooks);
  const results: ScenarioResult[] = [];
  let firstFacts: ServerFacts | null = null;
  let baseline: CpuBaseline = {};

  const shapes = serverShapes(options);
  for (const shape of shapes) {
    const { processes, workers, queueBackend } = shape;
    const target = await targets.start(workers, processes, queueBackend);
    try {
      // Worker threads compile their TypeScript after the server listens; measuring before they are
      // ready would charge their start-up to the first scenario (and to the CPU baseline).
      await waitUntilReady(target.origin);
      const facts = await fetchServerFacts(target.origin);
      firstFacts ??= facts;
      // The CPU baseline does not depend on the pool size: measure it once, on the first server.
      if (results.length === 0) baseline = await measureCpuBaseline(target.origin, options);

      for (const scenario of scenarios.filter((s) => onShape(s, shape, options))) {
        const runs = await repeatScenario(target.origin, scenario, { blameUrl: target.blameUrl });
        results.push(
          summarize(scenario, runs, options.discovered?.[scenario.workload]?.bound ?? null, facts, baseline),
        );
      }
      // The same measurement at the end shows how much the single-thread cost drifted over the run
      // (a machine busy with other work, thermal limits): the CPU bounds are only as good as it is.
      if (shape === shapes.at(-1)) baseline = await remeasureCpuBaseline(target.origin, options, baseline);
    } finally {
      await target.stop();
    }
  }
  return {
    schema: RESULTS_SCHEMA,
    looplabVersion: LOOPLAB_VERSION,
    options,
    environment: describeEnvironment(firstFacts, options.url === undefined, startedAt),
    cpuBaseline: baseline,
    scenarios: results,
    finishedAt: new Date().toISOString(),
  };
}
