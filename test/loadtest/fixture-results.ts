import type { ModeName, Results, RunMeasurement, ScenarioResult, WorkloadName } from '../../loadtest/types.ts';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';

const spread = (v: number) => ({ median: v, min: v, max: v });

/** A fixed, hand-written scenario result: the report tests render these exact figures. */
export function fixedScenario(workload: WorkloadName, mode: ModeName, rps: number, healthP99: number, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const run: RunMeasurement = {
    model: 'closed',
    durationSeconds: 5,
    requests: rps * 5,
    rps,
    latency: { p50: 1000 / rps, p90: 1200 / rps, p99: 1500 / rps, p999: 1600 / rps, max: 2000 / rps, mean: 1000 / rps },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    dropped: 0,
    health: { p50: healthP99 / 2, p99: healthP99, max: healthP99 * 1.2, samples: 100, failures: 0 },
    server: { eventLoopDelayP99Ms: healthP99, eventLoopDelayMaxMs: healthP99 * 2, eventLoopUtilization: mode === 'blocking' ? 0.99 : 0.2, cpuCores: 0.5, rssStartMb: 80, rssEndMb: 82 },
    generatorCpu: 0.3,
  };
  return {
    scenario: { workload, mode, connections: 20, rate: undefined, workers: undefined, path: `/${workload}/${mode}?delay=50` },
    runs: [run],
    summary: {
      rps: spread(rps),
      p50: spread(run.latency.p50),
      p90: spread(run.latency.p90),
      p99: spread(run.latency.p99),
      p999: spread(run.latency.p999),
      max: spread(run.latency.max),
      errors: 0,
      timeouts: 0,
      non2xx: 0,
      dropped: 0,
      healthP50: spread(healthP99 / 2),
      healthP99: spread(healthP99),
      healthMax: spread(healthP99 * 1.2),
      eventLoopDelayP99Ms: spread(healthP99),
      eventLoopUtilization: spread(mode === 'blocking' ? 0.99 : 0.2),
      generatorCpu: spread(0.3),
    },
    bound: { rps: rps * 1.25, basis: 'fixture' },
    efficiency: 0.8,
    generatorBound: false,
    ...extra,
  };
}

export function fixedResults(scenarios: ScenarioResult[] = defaultScenarios()): Results {
  return {
    schema: 'looplab-loadtest/1',
    options: { ...structuredClone(DEFAULT_OPTIONS), workloads: ['fetch', 'hash'], connections: [20] },
    environment: {
      node: 'v20.20.2',
      platform: 'linux x64',
      cpuModel: 'Fixture CPU',
      cpus: 2,
      memoryGiB: 24,
      gitCommit: 'abcdef1234567890',
      startedAt: '2026-01-02T03:04:05.000Z',
      server: { dbPool: 10, workers: 2, workerDbPool: 4, uvThreadpoolSize: 4, cpus: 2, node: 'v20.20.2' },
      serverStartedByHarness: true,
    },
    cpuBaseline: { hash: { msPerRequest: 25, samples: 7 } },
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
    fixedScenario('hash', 'worker', 72, 6, { generatorBound: true }),
  ];
}
