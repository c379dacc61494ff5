import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  startQueueWorker,
  testProducer,
  type QueueWorkerProcess,
  type TestProducer,
} from './helpers/queue-worker-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * README, queue mode: "Completed and failed jobs are kept for inspection up to `QUEUE_KEEP` (1000) of
 * each and an hour, trimmed as new ones finish." The failed side: a worker with QUEUE_KEEP=3 fails six
 * jobs (each picked up after its deadline, so each fails at once), and the queue keeps the newest three.
 */
const KEEP = 3;
let worker: QueueWorkerProcess;
let producer: TestProducer;
beforeAll(async () => {
  producer = testProducer();
  worker = await startQueueWorker({ QUEUE_KEEP: String(KEEP) });
});
afterAll(async () => {
  await worker?.stop();
  await producer?.close();
});

it('keeps the newest QUEUE_KEEP failed jobs and trims the older ones', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 2 * KEEP; i++) {
    const id = await producer.add({ workload: 'cpu', params: { task: 'primes', n: 10 }, deadline: Date.now() - 1 });
    ids.push(id);
    // One at a time, so "newest" is well defined: each has failed before the next is added.
    await waitFor(
      `job ${id} to fail`,
      async () => ((await (await producer.job(id))?.getState()) === 'failed' ? true : undefined),
      30_000,
      50,
    );
  }
  const kept = await Promise.all(ids.map(async (id) => (await producer.job(id)) !== undefined));
  expect(kept).toEqual([false, false, false, true, true, true]);
  expect(await producer.failedCount()).toBe(KEEP);
});
