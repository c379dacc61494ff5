/** The load harness's data: what it was asked to run and everything it measured. */
import type { ServerFacts } from '../contract/server-facts.ts';
import type { BoundAnswer } from '../contract/bound.ts';
import type { WindowFigures } from './measure/server-metrics.ts';
import type { RunBlame } from './measure/blame-window.ts';
import type { QueueWindow } from './measure/queue-times.ts';
import type { QueueBackend } from '../contract/queue.ts';
import type { LoadtestValues } from './flags.ts';

/** Where queue mode keeps its jobs: BullMQ's PostgreSQL backend (the looplab database) or Redis. */
export type QueueBackendName = QueueBackend['kind'];

/** A workload's name, as the server's index (`GET /`) lists it: the harness knows none by itself. */
export type WorkloadName = string;
/** A mode's name, as the server's index lists it (`blocking`, `async`, `worker`, …). */
export type ModeName = string;

/** Query parameters per workload, as sent (strings, validated by the server). */
export type WorkloadParams = Record<WorkloadName, Record<string, string>>;

/** What the server's index and bound routes said about one workload of the run (catalog.ts). */
export interface DiscoveredWorkload {
  /** "built-in" or the file it was loaded from. */
  source: string;
  /** The modes it has, in the server's order. */
  modes: ModeName[];
  /** Its bound model evaluated by the server for the run's parameters; null = no simple bound. */
  bound: BoundAnswer | null;
  /** The dependency it exercises, for the fault drill. */
  faultDrill?: { dependency: string; path: string };
}

export interface HarnessOptions {
  /**
   * The flags as given on the command line, typed by the spec (loadtest/flags.ts). A flag used as it is
   * given (a switch such as --quiet) is read from here; the fields below are the flags that are parsed,
   * checked against each other or defaulted. Absent where options are built in code, not parsed.
   */
  flags?: LoadtestValues;
  /** Workloads to run; empty = every built-in, or with --workload-file, every workload of those files. */
  workloads: WorkloadName[];
  /** Modes to run; a workload without one of them simply has no scenario for it. */
  modes: ModeName[];
  /** Workload files (absolute paths) for the server the harness starts (its WORKLOADS). */
  workloadFiles: string[];
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
  /**
   * `--target`: any HTTP endpoint (path and query as given), measured without looplab's index, bounds or
   * `/metrics`; it replaces the workloads × modes matrix with one scenario per load level.
   */
  target?: string | undefined;
  /** `--probe`: the canary path on the target's origin; absent = no canary with `--target`. */
  probe?: string | undefined;
  /**
   * `--target /a,/b -- <command>`: the user's server command (after `--`), which the harness starts with
   * the stall-blame preload and stops at the end; `target` is then the origin it listened on.
   */
  command?: string[] | undefined;
  /** With `command`: the paths on its server, each its own scenario named by its path. */
  targetPaths?: string[] | undefined;
  /** With `command`: seconds its server may take to listen (`--listen-timeout`). */
  listenTimeout?: number | undefined;
  params: WorkloadParams;
  repeat: number;
  /** Worker-pool sizes to sweep (restarts the server per value); empty = server default. */
  workers: number[];
  /** Server process counts to sweep (CLUSTER; restarts the server per value); empty = one process. */
  processes: number[];
  /**
   * `--queue-backends`: queue mode's backends to put side by side; the queue scenarios run once per
   * backend, each on a server of its own (Redis: a redis-server the harness starts, or REDIS_URL).
   * Empty or absent = the server's own choice (PostgreSQL unless REDIS_URL is set), rows not labelled.
   */
  queueBackends?: QueueBackendName[];
  out: string;
  json: boolean;
  compare: string | undefined;
  /**
   * `--max-regression` with its companions, as given (loadtest/analyse/regression-margins.ts parses the
   * margins): the gate on the `--compare` file. Absent without it.
   */
  regression?: { maxRegression: string; inconclusive: 'pass' | 'fail'; summary: string | undefined };
  thresholds: string[];
  /** `--deny-stall`: culprit patterns (globs) whose presence in a run's stall blame fails it; absent when none. */
  denyStalls?: string[];
  /** Requests per second of the /health probe that runs during each measured run. */
  probeRate: number;
  /** Run the fault drill instead of the matrix (database and upstream stopped and restarted under load). */
  faults: boolean;
  /** Load-generator processes sharing each scenario's load; 1 = the harness's own process. */
  generators: number;
  /** Write each planned scenario as a script for another load tool into `dir` instead of running it. */
  export: { format: 'k6'; dir: string } | undefined;
  /** Stall blame per run (on by default; `--no-blame`): the server names the code that stalled its loop. */
  blame: boolean;
  /** A stall is the event loop more than this late, ms (`--stall-threshold`). */
  stallThresholdMs: number;
  /** With --url: that server's stall-blame endpoint (`--blame-url`); without it, no blame for --url. */
  blameUrl: string | undefined;
  /**
   * Filled from the server before any load (catalog.ts): each workload's modes and bound model. With
   * it, `workloads` and `params` are complete (every parameter of every workload, defaults included).
   */
  discovered?: Record<WorkloadName, DiscoveredWorkload>;
}

/**
 * Latency percentiles in ms over `n` samples. A percentile the sample cannot support is null (p99 needs
 * 100 samples, p99.9 needs 1000); everything is null when nothing was measured.
 */
export interface Latency {
  n: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  mean: number | null;
}

/** One second of a measured run, by completion time; latencies in ms of that second's 2xx answers. */
export interface TimelineSecond {
  /** Seconds since the measured window began. */
  t: number;
  ok: number;
  failed: number;
  /** Nearest-rank percentiles of that second's answers (with under 100 answers, p99 is their maximum). */
  p50: number | null;
  p99: number | null;
  healthP99: number | null;
  /**
   * The seconds of the window this entry covers when under 1: the last one, when the window was not a
   * whole number of seconds (a 4.01 s window's fifth second holds 0.01 s of answers). Absent when whole.
   */
  span?: number;
}

/** The answers of one non-2xx status, with the first body seen (cut to 300 characters): what refused them. */
export interface StatusCount {
  status: number;
  count: number;
  sample: string | null;
}

/** One measured run of one scenario. Latencies in milliseconds. */
export interface RunMeasurement {
  model: 'closed' | 'open';
  /** Length of the measured window: autocannon's run time, or the open model's schedule (due ÷ rate). */
  windowSeconds: number;
  /** Open model: requests due in the window (sent + dropped); closed model: requests sent. */
  due: number;
  /** 2xx answers in all, including open-model answers that came in during the drain after the window. */
  ok: number;
  /**
   * 2xx answers completed within the window: the only outcome counted as throughput. (Late answers are
   * in the latency figures, but counting them as throughput would credit a server that falls behind the
   * offered rate with the work it did after the window.)
   */
  okInWindow: number;
  /** okInWindow ÷ windowSeconds. */
  rps: number;
  /** (non2xx + errors + timeouts) ÷ windowSeconds: refusals and failures, never part of rps. */
  failedPerSecond: number;
  /** Latency of the 2xx answers. */
  latency: Latency;
  /** The HDR percentile curve of the 2xx latencies: [percentile, ms] pairs, four per "nine", ending at 100 (the max). */
  latencyCurve: Array<[number, number]>;
  /** Latency of the answers that were not 2xx and of failed requests whose duration is known. */
  failedLatency: Latency;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** The non2xx answers by status, most frequent first, each with one sample body. */
  statuses: StatusCount[];
  /** Open model only: requests due while `maxInFlight` were outstanding, so never sent (no latency). */
  dropped: number;
  /** Open model only: requests still unanswered when the drain after the window ended (no latency). */
  abandoned: number;
  /**
   * True when requests with no measured latency (dropped, abandoned, timed out) exceed 0.1% of those due:
   * they would have been among the slowest, so every percentile is then only a lower bound (≥).
   */
  latencyIsLowerBound: boolean;
  /** Open model only: how late the generator sent each request against its schedule (its own lag). */
  sendLag: Latency | null;
  health: { p50: number | null; p99: number | null; max: number | null; samples: number; failures: number };
  /** The server's own figures over the run; resident memory at its start and end, for soak runs. */
  server: WindowFigures | null;
  /** The load generator's own CPU use over the run, in cores (1 = one core fully busy), summed over generators. */
  generatorCpu: number;
  /** The busiest generator process's CPU, in cores: each is one thread, so near 1 it was the limit. */
  busiestGeneratorCpu: number;
  /** The whole machine's CPU over the run from /proc/stat, busy cores out of `cores`; null off Linux. */
  machineCpu: { busyCores: number; cores: number } | null;
  timeline: TimelineSecond[];
  /** What the warm-up sent, and how long the server then took to finish it before the window opened. */
  warmup: { requests: number; settleMs: number };
  /** Stall blame for exactly the measured window; null when off (`--no-blame`, or `--url` without `--blame-url`). */
  blame: RunBlame | null;
  /** Queue mode: the server's queue wait and processing histograms over the window; null in other modes or without them. */
  queue?: QueueWindow | null;
}

export interface Scenario {
  workload: WorkloadName;
  mode: ModeName;
  connections: number;
  /** Requests/s for the open model; undefined for the closed model. */
  rate: number | undefined;
  /** Worker-pool size when sweeping it; undefined = server default. */
  workers: number | undefined;
  /** Server processes (CLUSTER) when sweeping them; absent = the server as started (one process). */
  processes?: number | undefined;
  /** Queue scenarios with `--queue-backends`: the backend of their server; absent otherwise. */
  queueBackend?: QueueBackendName | undefined;
  /** Tasks per worker thread at once (the server's WORKER_CONCURRENCY) where advise set it; absent = the server's default, 1. */
  workerConcurrency?: number | undefined;
  /** Path and query the scenario requests. */
  path: string;
}

/** A figure's median over repeats, with the smallest and largest value seen. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Queue mode over a scenario's runs: jobs counted in all, and the medians of the runs' exact means. */
export interface QueueSummary {
  /** Jobs over all runs (each run's wait-histogram count over its window). */
  jobs: number;
  /** Mean queue wait and mean processing time per run, ms (median and range over runs). */
  waitMs: Spread;
  processingMs: Spread;
  /** The upper bound of the bucket holding each run's p99, ms; null when a run's p99 was in the last bucket. */
  waitP99AtMostMs: Spread | null;
  processingP99AtMostMs: Spread | null;
}

export interface Bound {
  /** The highest throughput this scenario could reach, requests/s. */
  rps: number;
  /** How it was derived, in words. */
  basis: string;
  /** True when it scales the single-thread baseline (a CPU bound), whose spread it then shares. */
  cpu?: boolean;
}

export interface ScenarioResult {
  scenario: Scenario;
  runs: RunMeasurement[];
  /** Medians over the runs, with their range; a percentile no run could support is null. */
  summary: {
    /** 2xx answers per second. */
    rps: Spread;
    failedPerSecond: Spread;
    /** 2xx answers over all runs, and the latency samples behind the percentiles (the same answers). */
    ok: number;
    n: number;
    p50: Spread | null;
    p90: Spread | null;
    p99: Spread | null;
    p999: Spread | null;
    max: Spread | null;
    /** Failed requests' p99 and max, apart from the successes' (null with too few, or none, measured). */
    failedP99: Spread | null;
    failedMax: Spread | null;
    /** True when any run's percentiles are only lower bounds (see RunMeasurement.latencyIsLowerBound). */
    latencyIsLowerBound: boolean;
    errors: number;
    timeouts: number;
    non2xx: number;
    /** The runs' non-2xx answers by status, most frequent first (the first run's sample body for each). */
    statuses: StatusCount[];
    dropped: number;
    abandoned: number;
    healthP50: Spread | null;
    healthP99: Spread | null;
    healthMax: Spread | null;
    eventLoopDelayP99Ms: Spread | null;
    eventLoopDelayMaxMs: Spread | null;
    eventLoopUtilization: Spread | null;
    /** Server process CPU over the window, in cores. */
    serverCpu: Spread | null;
    generatorCpu: Spread;
    /** Open model: the generator's send lag p99, ms. */
    sendLagP99: Spread | null;
    /** Share of the whole machine's CPU that was busy during the window (0..1). */
    machineBusy: Spread | null;
    /** Queue mode: the runs' queue split (queue-summary.ts); null in other modes, or with no job counted. */
    queue?: QueueSummary | null;
  };
  bound: Bound | null;
  /** Achieved median rps / bound rps. */
  efficiency: number | null;
  /** True when the load generator used nearly a whole core: then it, not the server, may be the limit. */
  generatorBound: boolean;
  /** True when the open-model generator sent late enough to inflate the latencies materially. */
  generatorLagged: boolean;
  /** True when the machine's CPU was nearly all busy: CPU bounds assume free cores, so read "of bound" with care. */
  machineSaturated: boolean;
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

/** One measurement of a workload's single-thread cost (baseline.ts), ms per request. */
export interface BaselineFigure {
  ms: number;
  minMs: number;
  maxMs: number;
  samples: number;
  /**
   * `loop-cpu`: the server's event-loop thread's CPU time per request; `cpu`: the whole server process's
   * (its `/metrics` counters); `wall`: its reported work time.
   */
  basis: 'loop-cpu' | 'cpu' | 'wall';
}

/**
 * Single-thread cost of each CPU workload, ms per request: measured before the matrix, and again after
 * it (`atEndMs`); `minMs`–`maxMs` is the range of its groups at both ends (absent in older files).
 */
export type CpuBaseline = Record<
  WorkloadName,
  {
    msPerRequest: number;
    samples: number;
    atEndMs: number | null;
    minMs?: number;
    maxMs?: number;
    basis?: BaselineFigure['basis'];
  }
>;

/**
 * The results.json format this looplab writes. 3 adds `looplabVersion`; later additions within 3 are new
 * optional fields (a reader ignores what it does not know). `--compare` reads
 * {@link READABLE_RESULTS_SCHEMAS}.
 */
export const RESULTS_SCHEMA = 'looplab-loadtest/3';

/** What `--compare` reads: this schema, and 2, which is 3 without `looplabVersion`. */
export const READABLE_RESULTS_SCHEMAS: readonly string[] = ['looplab-loadtest/2', RESULTS_SCHEMA];

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  /** The looplab that wrote the file (its package.json version); null only when read from a schema-2 file. */
  looplabVersion: string | null;
  options: HarnessOptions;
  environment: Environment;
  cpuBaseline: CpuBaseline;
  scenarios: ScenarioResult[];
  finishedAt: string;
}

/** What one run is doing right now, for a progress display. */
export type RunPhase = 'settling' | 'warm-up' | 'measuring';

/**
 * Optional callbacks the scenario runner calls while it works, so the CLI can show live progress
 * without the measuring code printing anything.
 */
export interface RunHooks {
  /** A phase begins; `seconds` is its planned length (settling has none). */
  onPhase?(phase: RunPhase, seconds?: number): void;
  /** A load request ended: answered 2xx (`true`), or anything else — non-2xx, error, timeout (`false`). */
  onOutcome?(ok: boolean): void;
}
