import type { WorkerOutcome } from '../offload/worker-protocol.ts';

/** Custom QueueEvents event a server publishes when a caller is gone but its job is already running. */
export const CANCEL_EVENT = 'looplab-cancel';

/**
 * The failure reasons a worker gives a job it ended because of the request's deadline: the server
 * answers those with the request's own 504, not as a failed job.
 */
export const DEADLINE_REASON = 'the job reached its deadline';
export const DISCARDED_PREFIX = 'discarded: ';

/**
 * What a queue worker returns: the workload's outcome (errors as data, as the piscina worker returns
 * them, so 502/503/504 survive the trip) plus where the time went.
 */
export type JobReturn = WorkerOutcome & {
  /** `processedOn − timestamp`: from the enqueue until a worker took the job, ms. */
  waitMs: number;
  /** The workload itself, in the worker process, ms. */
  runMs: number;
};

/** Completed and failed jobs kept for inspection, by age; the count is QUEUE_KEEP. */
export const KEEP_AGE_SECONDS = 3600;
