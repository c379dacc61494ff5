import { availableParallelism } from 'node:os';
import type { HarnessOptions } from './types.ts';

/**
 * The default matrix: every built-in workload in every mode it has at one concurrency, ~3 minutes on
 * 2 cores. Which workloads, modes and parameters exist is the server's to say (`GET /`): each workload
 * declares the parameters it is load-tested with by default, and `params` holds only what
 * `--params` changes.
 */
export const DEFAULT_OPTIONS: HarnessOptions = Object.freeze({
  workloads: [],
  modes: [],
  workloadFiles: [],
  connections: [20],
  duration: 8,
  warmup: 2,
  rates: [],
  url: undefined,
  params: {},
  repeat: 1,
  workers: [],
  processes: [],
  queueBackends: [],
  out: 'results',
  json: false,
  compare: undefined,
  thresholds: [],
  probeRate: 20,
  faults: false,
  generators: 1,
  export: undefined,
  blame: true,
  blameThresholdMs: 20,
  blameUrl: undefined,
}) as HarnessOptions;

/** Limits that keep a harness run bounded in time and load. */
export const OPTION_LIMITS = {
  connections: { min: 1, max: 1000 },
  duration: { min: 1, max: 600 },
  warmup: { min: 0, max: 60 },
  rate: { min: 1, max: 100_000 },
  repeat: { min: 1, max: 20 },
  workers: { min: 1, max: 64 },
  processes: { min: 1, max: 64 },
  probeRate: { min: 1, max: 200 },
  /** Up to four generator processes per core: more only take turns on the same cores. */
  generators: { min: 1, max: availableParallelism() * 4 },
  blameThreshold: { min: 2, max: 60_000 },
} as const;
