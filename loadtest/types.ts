/** The load harness's data: what it was asked to run and everything it measured. */
import type { ServerFacts } from '../server/deps.ts';
import type { WindowFigures } from './server-metrics.ts';

export const WORKLOAD_NAMES = ['db', 'fetch', 'hash', 'cpu'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];
export const MODE_NAMES = ['blocking', 'async', 'worker'] as const;
export type ModeName = (typeof MODE_NAMES)[number];

/** Query parameters per workload, as sent (strings, validated by the server). */
export type WorkloadParams = Record<WorkloadName, Record<string, string>>;

export interface HarnessOptions {
  workloads: WorkloadName[];
  modes: ModeName[];
  /** Closed model: one scenario per level (a list is a sweep). */
  connections: number[];
  /** Measured seconds per run. */
  duration: number;
  /** Unmeasured seconds before each run. */
  warmup: number;
  /** Open model: constant arrival rates in requests/s (a list is a sweep); empty = closed model. */
  rates: number[];
  /** An already-running server; when absent the harness starts everything. */
  url: string | undefined;
  params: WorkloadParams;
  repeat: number;
  /** Worker-pool sizes to sweep (restarts the server per value); empty = server default. */
  workers: number[];
  out: string;
  json: boolean;
  compare: string | undefined;
  thresholds: string[];
  /** Requests per second of the /health probe that runs during each measured run. */
  probeRate: number;
  /** Run the fault drill instead of the matrix (database and upstream stopped and restarted under load). */
  faults: boolean;
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** One measured run of one scenario. Latencies in milliseconds. */
export interface RunMeasurement {
  model: 'closed' | 'open';
  durationSeconds: number;
  requests: number;
  rps: number;
  latency: Latency;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Open model only: requests that could not be sent at their intended time. */
  dropped: number;
  health: { p50: number; p99: number; max: number; samples: number; failures: number };
  /** The server's own figures over the run; resident memory at its start and end, for soak runs. */
  server: WindowFigures | null;
  /** The load generator's own CPU use over the run, in cores (1 = one core fully busy). */
  generatorCpu: number;
}

export interface Scenario {
  workload: WorkloadName;
  mode: ModeName;
  connections: number;
  /** Requests/s for the open model; undefined for the closed model. */
  rate: number | undefined;
  /** Worker-pool size when sweeping it; undefined = server default. */
  workers: number | undefined;
  /** Path and query the scenario requests. */
  path: string;
}

/** A figure's median over repeats, with the smallest and largest value seen. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Bound {
  /** The highest throughput this scenario could reach, requests/s. */
  rps: number;
  /** How it was derived, in words. */
  basis: string;
}

export interface ScenarioResult {
  scenario: Scenario;
  runs: RunMeasurement[];
  summary: {
    rps: Spread;
    p50: Spread;
    p90: Spread;
    p99: Spread;
    p999: Spread;
    max: Spread;
    errors: number;
    timeouts: number;
    non2xx: number;
    dropped: number;
    healthP50: Spread;
    healthP99: Spread;
    healthMax: Spread;
    eventLoopDelayP99Ms: Spread | null;
    eventLoopUtilization: Spread | null;
    generatorCpu: Spread;
  };
  bound: Bound | null;
  /** Achieved median rps / bound rps. */
  efficiency: number | null;
  /** True when the load generator used nearly a whole core: then it, not the server, may be the limit. */
  generatorBound: boolean;
}

/** Facts the server reports at `GET /`. */
export type { ServerFacts };

export interface Environment {
  node: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  gitCommit: string | null;
  startedAt: string;
  server: ServerFacts | null;
  /** Whether the harness started the server itself (and so shares the machine with it). */
  serverStartedByHarness: boolean;
}

/** Single-thread cost of each CPU workload, measured before the matrix (server-reported ms). */
export type CpuBaseline = Partial<Record<'hash' | 'cpu', { msPerRequest: number; samples: number }>>;

export interface Results {
  schema: 'looplab-loadtest/1';
  options: HarnessOptions;
  environment: Environment;
  cpuBaseline: CpuBaseline;
  scenarios: ScenarioResult[];
  finishedAt: string;
}
