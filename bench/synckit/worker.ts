/**
 * The synckit worker for the bench's comparison: the same one-connection `findWorld` the sync-I/O
 * helper thread (server/offload/sync-io-thread.ts) does, behind synckit's `runAsWorker`.
 */
import { runAsWorker } from 'synckit';
import { createWorldStore, type WorldRow, type WorldStore } from '../../server/clients/world-store.ts';

let store: WorldStore | undefined;

runAsWorker(async (databaseUrl: string, id: number): Promise<WorldRow> => {
  store ??= createWorldStore(databaseUrl, 1);
  return store.findWorld(id, 0);
});
