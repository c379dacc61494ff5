/**
 * Entry of each process of the seeds' process pool: one Node process with its own client, running one
 * chunk at a time, as a multiprocessing.Pool worker does. It exits when its parent disconnects.
 */
import { createPoolMember } from './pool-work.ts';
import { type ChildMessage, type ChunkMessage, UPSTREAM_URL_VARIABLE } from './process-protocol.ts';

const member = createPoolMember(process.env[UPSTREAM_URL_VARIABLE] || undefined);
const send = (message: ChildMessage) => process.send?.(message);

let queue = Promise.resolve();
process.on('message', (message: ChunkMessage) => {
  queue = queue.then(async () => {
    try {
      send({ type: 'done', id: message.id, total: await member.runChunk(message.items) });
    } catch (err) {
      send({ type: 'failed', id: message.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
});
process.on('disconnect', () => {
  void member.close().finally(() => process.exit(0));
});
send({ type: 'ready' });
