import type { QueueBackend } from './queue.ts';

/**
 * The server's pool sizes and machine facts, published in its index (`GET /`, as `server`) so a load
 * harness can compute bounds and label its report without knowing how the server was started.
 */
export interface ServerFacts {
  dbPool: number;
  workers: number;
  /** Absent from servers that predate WORKER_CONCURRENCY. */
  workerConcurrency?: number;
  workerDbPool: number;
  uvThreadpoolSize: number;
  cpus: number;
  node: string;
  /** With queue mode: its backend, the worker processes this server started, and the bound. */
  queue?: { backend: QueueBackend['kind']; workers: number; concurrency: number; max: number };
}
