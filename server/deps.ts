import type { AsyncClients, SyncClients } from './clients/index.ts';
import { createUpstreamClient } from './clients/upstream-client.ts';
import { createWorldStore } from './clients/world-store.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createSyncIo } from './offload/sync-io.ts';
import { createWorkerPool, type WorkerPool } from './offload/worker-pool.ts';

/** Everything the app needs, created once at start and handed in (never imported by the app). */
export interface AppDeps {
  readonly clients: AsyncClients;
  readonly syncIo: SyncClients;
  readonly pool: WorkerPool;
  readonly metrics: Metrics;
}

export interface DepsOptions {
  databaseUrl: string;
  upstreamUrl: string;
  dbPool: number;
  workers: number;
  workerDbPool: number;
}

/** Creates the clients, the sync-I/O helper and the worker pool; `close` releases them in reverse. */
export function createDeps(options: DepsOptions): AppDeps & { close(): Promise<void> } {
  const clients: AsyncClients = {
    db: createWorldStore(options.databaseUrl, options.dbPool),
    upstream: createUpstreamClient(options.upstreamUrl),
  };
  const syncIo = createSyncIo(options.databaseUrl, options.upstreamUrl);
  const pool = createWorkerPool({
    threads: options.workers,
    databaseUrl: options.databaseUrl,
    upstreamUrl: options.upstreamUrl,
    dbPoolSize: options.workerDbPool,
  });
  const metrics = createMetrics({ pool, db: clients.db });
  return {
    clients,
    syncIo,
    pool,
    metrics,
    async close() {
      await pool.close();
      await syncIo.close();
      await Promise.all([clients.db.close(), clients.upstream.close()]);
    },
  };
}
