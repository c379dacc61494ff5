/** Entry of each seeds worker thread (loaded by thread-boot.cjs): runs chunks with its own client. */
import { workerData } from 'piscina';
import { createPoolMember } from './pool-work.ts';
import type { ThreadSettings, ThreadTask } from './thread-protocol.ts';

const BARRIER_TIMEOUT_MS = 60_000;
const member = createPoolMember((workerData as ThreadSettings | undefined)?.upstreamUrl);

export default async function runThreadTask(task: ThreadTask): Promise<number> {
  if (task.kind === 'chunk') return member.runChunk(task.items);
  // Holding this thread until all have arrived keeps piscina from giving two barrier tasks to one thread.
  const counter = new Int32Array(task.counter);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  const deadline = Date.now() + BARRIER_TIMEOUT_MS;
  for (let seen = Atomics.load(counter, 0); seen < task.parties; seen = Atomics.load(counter, 0)) {
    if (Date.now() > deadline) throw new Error(`only ${seen} of ${task.parties} threads started`);
    Atomics.wait(counter, 0, seen, 100);
  }
  return 0;
}
