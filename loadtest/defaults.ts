import type { HarnessOptions } from './types.ts';

/**
 * The default matrix: every workload in every mode at one concurrency, ~3 minutes on 2 cores.
 * Parameters are chosen so the lessons show: the I/O workloads are dominated by their waits (50 ms
 * upstream delay, 20 ms pg_sleep) and one CPU request costs a few tens of milliseconds.
 */
export const DEFAULT_OPTIONS: HarnessOptions = Object.freeze({
  workloads: ['db', 'fetch', 'hash', 'cpu'],
  modes: ['blocking', 'async', 'worker'],
  connections: [20],
  duration: 8,
  warmup: 2,
  rates: [],
  url: undefined,
  params: {
    db: { queries: '1', sleep: '20' },
    fetch: { delay: '50', bytes: '1024', count: '1' },
    hash: { algo: 'pbkdf2', cost: '100000' },
    cpu: { task: 'sum-squares', n: '20000000' },
  },
  repeat: 1,
  workers: [],
  out: 'results',
  json: false,
  compare: undefined,
  thresholds: [],
  probeRate: 20,
  faults: false,
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
  probeRate: { min: 1, max: 200 },
  blameThreshold: { min: 2, max: 60_000 },
} as const;
