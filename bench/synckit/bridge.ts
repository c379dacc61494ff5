import { createSyncFn } from 'synckit';
import type { WorldRow } from '../../server/clients/world-store.ts';

type FindWorld = (databaseUrl: string, id: number) => Promise<WorldRow>;

/**
 * A synchronous `findWorld` built on synckit, to measure against looplab's own bridge
 * (server/offload/sync-io.ts). synckit's worker is unref'd and has no close: it ends with the process.
 */
export function createSynckitFindWorld(databaseUrl: string): (id: number) => WorldRow {
  const findWorld = createSyncFn<FindWorld>(new URL('./worker-boot.cjs', import.meta.url), { timeout: 65_000 });
  return (id) => findWorld(databaseUrl, id);
}
