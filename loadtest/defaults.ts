import type { HarnessOptions } from './types.ts';
import { LOADTEST_FLAGS as F } from './flags.ts';

/**
 * The default matrix: every built-in workload in every mode it has at one concurrency, ~3 minutes on
 * 2 cores. Which workloads, modes and parameters exist is the server's to say (`GET /`): each workload
 * declares the parameters it is load-tested with by default, and `params` holds only what
 * `--params` changes. Every literal default is the flag's, in flags.ts.
 */
export const DEFAULT_OPTIONS: HarnessOptions = Object.freeze({
  flags: {},
  workloads: [],
  modes: [],
  workloadFiles: [],
  connections: [...F.connections.default],
  duration: F.duration.default,
  warmup: F.warmup.default,
  rates: [],
  url: undefined,
  params: {},
  repeat: F.repeat.default,
  workers: [],
  processes: [],
  queueBackends: [],
  out: F.out.default,
  json: false,
  compare: undefined,
  thresholds: [],
  probeRate: F['probe-rate'].default,
  faults: false,
  generators: F.generators.default,
  export: undefined,
  blame: true,
  stallThresholdMs: F['stall-threshold'].default,
  blameUrl: undefined,
}) as HarnessOptions;

/** Limits that keep a harness run bounded in time and load: the flags' ranges, in flags.ts. */
export const OPTION_LIMITS = {
  connections: F.connections.range,
  duration: F.duration.range,
  warmup: F.warmup.range,
  rate: F.rate.range,
  repeat: F.repeat.range,
  workers: F.workers.range,
  processes: F.processes.range,
  probeRate: F['probe-rate'].range,
  generators: F.generators.range,
  stallThreshold: F['stall-threshold'].range,
  listenTimeout: F['listen-timeout'].range,
} as const;

/** Seconds a server command after `--` may take to listen (`--listen-timeout`). */
export const DEFAULT_LISTEN_TIMEOUT = F['listen-timeout'].default;
