import type { SyncClients } from '../clients/index.ts';
import { createUpstreamClient } from '../clients/upstream-client.ts';
import { createWorldStore } from '../clients/world-store.ts';
import type { ThreadClients } from '../workloads/workload.ts';
import { createSyncIo, type SyncIo } from './sync-io.ts';
import type { WorkerSettings } from './worker-protocol.ts';

/**
 * The clients of a thread that runs worker forms: its own DB pool and HTTP agent, opened once when it
 * starts, and synchronous clients for a synchronous form run in the thread. Those need a helper
 * thread of their own, so they are opened on first use: CPU-only workloads never pay for one.
 */
export function createThreadClients(settings: WorkerSettings): ThreadClients & { close(): Promise<void> } {
  const io = {
    db: createWorldStore(settings.databaseUrl, settings.dbPoolSize),
    upstream: createUpstreamClient(settings.upstreamUrl, settings.upstreamTimeoutMs),
  };
  let syncIo: SyncIo | undefined;
  const opened = () =>
    (syncIo ??= createSyncIo(settings.databaseUrl, settings.upstreamUrl, settings.upstreamTimeoutMs));
  const lazySync: SyncClients = {
    findWorld: (id, sleepMs) => opened().findWorld(id, sleepMs),
    getUpstream: (path) => opened().getUpstream(path),
  };
  return {
    io,
    syncIo: lazySync,
    async close() {
      await syncIo?.close();
      await Promise.all([io.db.close(), io.upstream.close()]);
    },
  };
}
