import { availableParallelism } from 'node:os';
import { defaultOf } from '../lib/env.ts';
import type { AsyncClients, SyncClients } from './clients/index.ts';
import { createUpstreamClient } from './clients/upstream-client.ts';
import { createWorldStore } from './clients/world-store.ts';
import { createMetrics, type Metrics } from './observation/metrics.ts';
import { createPressureGauge, type PressureGauge } from './protection/pressure.ts';
import { createSyncIo } from './offload/sync-io.ts';
import { createWorkerPool, sayWhyThreadsCannotLoad, type WorkerPool } from './offload/worker-pool.ts';
import { BUILT_IN_REGISTRY, type Registry } from './workloads/registry.ts';
import { createJobQueue, type JobQueue, type JobQueueOptions } from './queue/job-queue.ts';
import { registerQueueMetrics } from './queue/queue-metrics.ts';
import type { ServerFacts } from '../contract/server-facts.ts';

/** Everything the app needs, created once at start and handed in (never imported by the app). */
export interface AppDeps {
  /** Pool sizes and machine facts, reported at `GET /` so a load harness can compute bounds. */
  readonly about: ServerFacts;
  /** The workloads this server runs: the built-ins and the WORKLOADS files. */
  readonly workloads: Registry;
  readonly clients: AsyncClients;
  readonly syncIo: SyncClients;
  readonly pool: WorkerPool;
  readonly metrics: Metrics;
  /** Present when load shedding on event-loop delay is on. */
  readonly pressure: PressureGauge | undefined;
  /** Present when `queue` mode is on (server/queue/). */
  readonly queue?: JobQueue | undefined;
}

export interface DepsOptions {
  databaseUrl: string;
  upstreamUrl: string;
  dbPool: number;
  workers: number;
  /** Tasks per worker thread at once (WORKER_CONCURRENCY); default 1. */
  workerConcurrency?: number;
  workerDbPool: number;
  /** Only reported; Node itself reads UV_THREADPOOL_SIZE. */
  uvThreadpoolSize?: number;
  /** The worker-pool entry file; only tests change it. */
  workerEntry?: URL;
  /** Event-loop stall (ms) after which workload requests are shed; 0 or absent = off. */
  shedLoopDelayMs?: number;
  /** Bounded queues and timeouts (config.ts documents each); generous defaults when not given. */
  workerQueue?: number;
  dbQueue?: number;
  upstreamTimeoutMs?: number;
  /** The workloads to serve (load.ts); default the built-ins. Worker threads load the same files. */
  workloads?: Registry;
  /** `queue` mode's backend and bound; absent = no queue mode. Its worker processes run apart. */
  jobQueue?: Omit<JobQueueOptions, 'onTiming'> & { workers: number; concurrency: number };
}

/** Creates the clients, the sync-I/O helper and the worker pool; `close` releases them in reverse. */
export function createDeps(options: DepsOptions): AppDeps & { close(): Promise<void> } {
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? defaultOf('UPSTREAM_TIMEOUT_MS');
  const workloads = options.workloads ?? BUILT_IN_REGISTRY;
  const clients: AsyncClients = {
    db: createWorldStore(options.databaseUrl, options.dbPool, options.dbQueue ?? defaultOf('DB_QUEUE')),
    upstream: createUpstreamClient(options.upstreamUrl, upstreamTimeoutMs),
  };
  const syncIo = createSyncIo(options.databaseUrl, options.upstreamUrl, upstreamTimeoutMs);
  const workloadFiles = workloads.all.filter((w) => w.source !== 'built-in').map((w) => w.source);
  const pool = createWorkerPool({
    threads: options.workers,
    concurrency: options.workerConcurrency ?? defaultOf('WORKER_CONCURRENCY'),
    maxQueue: options.workerQueue ?? defaultOf('WORKER_QUEUE', { WORKERS: options.workers }),
    ...(options.workerEntry ? { entry: options.workerEntry } : {}),
    upstreamTimeoutMs,
    databaseUrl: options.databaseUrl,
    upstreamUrl: options.upstreamUrl,
    dbPoolSize: options.workerDbPool,
    workloadFiles,
  });
  if (workloadFiles.length > 0) sayWhyThreadsCannotLoad(pool);
  const metrics = createMetrics({ pool, db: clients.db });
  const queueOptions = options.jobQueue;
  const queue: JobQueue | undefined =
    queueOptions && createJobQueue({ ...queueOptions, onTiming: registerQueueMetrics(metrics.registry, () => queue) });
  const about: ServerFacts = {
    dbPool: options.dbPool,
    workers: options.workers,
    workerConcurrency: options.workerConcurrency ?? defaultOf('WORKER_CONCURRENCY'),
    workerDbPool: options.workerDbPool,
    uvThreadpoolSize: options.uvThreadpoolSize ?? defaultOf('UV_THREADPOOL_SIZE'),
    cpus: availableParallelism(),
    node: process.version,
    ...(queueOptions
      ? {
          queue: {
            backend: queueOptions.backend.kind,
            workers: queueOptions.workers,
            concurrency: queueOptions.concurrency,
            max: queueOptions.maxInFlight,
          },
        }
      : {}),
  };
  const pressure = options.shedLoopDelayMs ? createPressureGauge(options.shedLoopDelayMs) : undefined;
  return {
    about,
    workloads,
    pressure,
    clients,
    syncIo,
    pool,
    metrics,
    queue,
    async close() {
      pressure?.close();
      await queue?.close();
      await pool.close();
      await syncIo.close();
      await Promise.all([clients.db.close(), clients.upstream.close()]);
    },
  };
}
