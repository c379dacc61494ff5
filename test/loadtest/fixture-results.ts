import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { parseParams } from '../../lib/params.ts';
import { evaluateBound } from '../../server/workloads/bound-answer.ts';
import { BUILT_IN_REGISTRY } from '../../server/workloads/registry.ts';
import { summarize } from '../../loadtest/analyse/summarize.ts';
import type { RunBlame } from '../../loadtest/measure/blame-window.ts';
import {
  RESULTS_SCHEMA,
  type CpuBaseline,
  type ModeName,
  type Results,
  type RunMeasurement,
  type ScenarioResult,
  type ServerFacts,
  type WorkloadName,
} from '../../loadtest/types.ts';

export const FIXTURE_FACTS: ServerFacts = {
  dbPool: 10,
  workers: 2,
  workerDbPool: 4,
  uvThreadpoolSize: 4,
  cpus: 2,
  node: 'v20.20.2',
};
export const FIXTURE_BASELINE: CpuBaseline = { hash: { msPerRequest: 25, samples: 7, atEndMs: 26 } };
/** The parameters every fixture scenario was "run" with. */
export const FIXTURE_PARAMS: Record<string, Record<string, string>> = {
  db: { queries: '1', sleep: '20' },
  fetch: { delay: '50', bytes: '1024', count: '1' },
  hash: { algo: 'pbkdf2', cost: '100000' },
  cpu: { task: 'sum-squares', n: '20000000' },
};

/** The bound model the server itself gives for a built-in with the fixture's parameters. */
function boundOf(name: string) {
  const workload = BUILT_IN_REGISTRY.find(name);
  return workload
    ? evaluateBound(workload, parseParams(workload.params, new URLSearchParams(FIXTURE_PARAMS[name])), FIXTURE_FACTS)
    : null;
}

export interface RunShape {
  generatorCpu?: number;
  non2xx?: number;
  windowSeconds?: number;
  blame?: RunBlame | null;
}

/** One hand-written run: `rps` 2xx answers per second over 5 s, latencies derived from it. */
export function fixedRun(rps: number, healthP99: number, shape: RunShape = {}): RunMeasurement {
  const windowSeconds = shape.windowSeconds ?? 5;
  const ok = Math.round(rps * windowSeconds);
  const non2xx = shape.non2xx ?? 0;
  return {
    model: 'closed',
    windowSeconds,
    due: ok + non2xx,
    ok,
    okInWindow: ok,
    rps,
    failedPerSecond: non2xx / windowSeconds,
    statuses: non2xx > 0 ? [{ status: 503, count: non2xx, sample: '{"error":"worker queue full"}' }] : [],
    latency: {
      n: ok,
      p50: 1000 / rps,
      p90: 1200 / rps,
      p99: ok >= 100 ? 1500 / rps : null,
      p999: ok >= 1000 ? 1600 / rps : null,
      max: 2000 / rps,
      mean: 1000 / rps,
    },
    latencyCurve: [
      [0, 500 / rps],
      [50, 1000 / rps],
      [90, 1200 / rps],
      ...(ok >= 100 ? [[99, 1500 / rps] as [number, number]] : []),
      [100, 2000 / rps],
    ],
    failedLatency: {
      n: non2xx,
      p50: non2xx >= 2 ? 1 : null,
      p90: null,
      p99: null,
      p999: null,
      max: non2xx > 0 ? 2 : null,
      mean: non2xx > 0 ? 1 : null,
    },
    errors: 0,
    timeouts: 0,
    non2xx,
    dropped: 0,
    abandoned: 0,
    latencyIsLowerBound: false,
    sendLag: null,
    health: { p50: healthP99 / 2, p99: healthP99, max: healthP99 * 1.2, samples: 100, failures: 0 },
    server: {
      eventLoopDelayP99Ms: healthP99,
      eventLoopDelayMaxMs: healthP99 * 2,
      eventLoopUtilization: healthP99 > 100 ? 0.99 : 0.2,
      cpuCores: 0.5,
      rssStartMb: 80,
      rssEndMb: 82,
    },
    generatorCpu: shape.generatorCpu ?? 0.3,
    busiestGeneratorCpu: shape.generatorCpu ?? 0.3,
    machineCpu: { busyCores: 1, cores: 2 },
    timeline: Array.from({ length: windowSeconds }, (_, t) => ({
      t,
      ok: Math.round(rps),
      failed: 0,
      p50: 1000 / rps,
      p99: 1500 / rps,
      healthP99,
    })),
    warmup: { requests: ok / 2, settleMs: 300 },
    blame: shape.blame ?? null,
  };
}

/**
 * A scenario of hand-written runs, summarised by the harness's own `summarize` (so medians, the bound,
 * "of bound" and the flags are computed by the code under test, not written into the fixture).
 */
export function fixedScenario(
  workload: WorkloadName,
  mode: ModeName,
  rps: number,
  healthP99: number,
  shape: RunShape & { runs?: RunMeasurement[]; workers?: number; connections?: number } = {},
): ScenarioResult {
  const query = new URLSearchParams(FIXTURE_PARAMS[workload]).toString();
  return summarize(
    {
      workload,
      mode,
      connections: shape.connections ?? 20,
      rate: undefined,
      workers: shape.workers,
      path: `/${workload}/${mode}?${query}`,
    },
    shape.runs ?? [fixedRun(rps, healthP99, shape)],
    boundOf(workload),
    FIXTURE_FACTS,
    FIXTURE_BASELINE,
  );
}

export function fixedResults(scenarios: ScenarioResult[] = defaultScenarios()): Results {
  return {
    schema: RESULTS_SCHEMA,
    looplabVersion: '0.1.0',
    options: {
      ...structuredClone(DEFAULT_OPTIONS),
      params: structuredClone(FIXTURE_PARAMS),
      workloads: ['fetch', 'hash'],
      connections: [20],
    },
    environment: {
      node: 'v20.20.2',
      platform: 'linux x64',
      cpuModel: 'Fixture CPU',
      cpus: 2,
      memoryGiB: 24,
      gitCommit: 'abcdef1234567890',
      startedAt: '2026-01-02T03:04:05.000Z',
      server: FIXTURE_FACTS,
      serverStartedByHarness: true,
    },
    cpuBaseline: FIXTURE_BASELINE,
    scenarios,
    finishedAt: '2026-01-02T03:10:00.000Z',
  };
}

export function defaultScenarios(): ScenarioResult[] {
  return [
    fixedScenario('fetch', 'blocking', 16, 450),
    fixedScenario('fetch', 'async', 380, 3),
    fixedScenario('fetch', 'worker', 38, 2.5),
    fixedScenario('hash', 'blocking', 40, 900),
    fixedScenario('hash', 'async', 70, 20),
    fixedScenario('hash', 'worker', 72, 6, { generatorCpu: 0.95 }),
  ];
}
