import type { WorldRow, WorldStore } from './world-store.ts';
import type { UpstreamClient } from './upstream-client.ts';

/** The non-blocking clients a thread owns: used by `async` mode and, per worker, by `worker` mode. */
export interface AsyncClients {
  readonly db: WorldStore;
  readonly upstream: UpstreamClient;
}

/**
 * Synchronous I/O for `blocking` mode: each call holds the calling thread until the real query or
 * HTTP call is over, like a synchronous driver would.
 */
export interface SyncClients {
  findWorld(id: number, sleepMs: number): WorldRow;
  getUpstream(path: string): Uint8Array;
}

export type { WorldRow, WorldStore, UpstreamClient };
