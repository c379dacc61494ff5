import type { ErrorData } from './error-data.ts';
import type { WorkResult } from '../workloads/workload.ts';
import type { ThreadMemory } from './thread-memory.ts';

/** What the event-loop thread sends a pool worker: a workload by name and its validated params. */
export type WorkerTask =
  | {
      kind: 'run';
      workload: string;
      params: Record<string, number | string>;
      /** With WORKER_CONCURRENCY > 1: the task's cancel flag (cancel-flag.ts), raised on deadline or hang-up. */
      cancel?: SharedArrayBuffer;
    }
  /** A no-op round trip, for readiness checks. */
  | { kind: 'ping' };

export type WorkerOutcome = { ok: true; result: WorkResult } | { ok: false; error: ErrorData };

/** A pool thread's outcome, with the thread's own memory as it finished the task (thread-memory.ts). */
export type PoolOutcome = WorkerOutcome & { thread?: ThreadMemory };

/** Settings each worker needs to open its own clients once, at start. */
export interface WorkerSettings {
  databaseUrl: string;
  upstreamUrl: string;
  dbPoolSize: number;
  upstreamTimeoutMs: number;
  /** WORKLOADS files the main thread loaded: every worker thread loads them too. */
  workloadFiles?: string[];
}
