import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEADLINE_REASON } from '../server/queue/protocol.ts';
import {
  startQueueWorker,
  testProducer,
  type QueueWorkerProcess,
  type TestProducer,
} from './helpers/queue-worker-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * README, queue mode: "A worker also aborts a job at its deadline by itself, and fails one it picks up
 * after it ("discarded: …") without running it." Shown with a queue worker and no server at all: the
 * jobs are added by the test, so no server can cancel them, and only the worker's own clock can.
 */
let worker: QueueWorkerProcess;
let producer: TestProducer;
beforeAll(async () => {
  producer = testProducer();
  worker = await startQueueWorker({ QUEUE_CONCURRENCY: '2' });
});
afterAll(async () => {
  await worker?.stop();
  await producer?.close();
});

const finished = (id: string) =>
  waitFor(
    `job ${id} to finish`,
    async () => {
      const job = await producer.job(id);
      return job?.finishedOn ? job : undefined;
    },
    30_000,
    100,
  );

it('aborts a running job at its deadline, with no server to tell it, and fails it as cancelled', async () => {
  // An upstream call of 8-9 s under a deadline 2 s away: only the worker's own deadline can stop it.
  const delay = 8000 + randomInt(0, 1000);
  const deadline = Date.now() + 2000;
  const id = await producer.add({ workload: 'fetch', params: { delay, bytes: 16, count: 1 }, deadline });
  const job = await finished(id);
  expect(await job.getState()).toBe('failed');
  expect(job.failedReason).toBe(`cancelled: ${DEADLINE_REASON}`);
  expect(job.attemptsStarted).toBe(1);
  // Ended at the deadline, not before it, and long before the call would have ended by itself.
  expect(job.finishedOn).toBeGreaterThanOrEqual(deadline);
  expect(job.finishedOn ?? Infinity).toBeLessThan((job.processedOn ?? 0) + delay);
});

it('fails a job picked up after its deadline without running it', async () => {
  const id = await producer.add({
    workload: 'fetch',
    params: { delay: 9000 + randomInt(0, 1000), bytes: 16, count: 1 },
    deadline: Date.now() - 1,
  });
  const job = await finished(id);
  expect(await job.getState()).toBe('failed');
  expect(job.failedReason).toBe('discarded: picked up after its deadline');
  expect(job.returnvalue).toBeFalsy();
  // Not run: it did not wait out its 9 s upstream call.
  expect(job.finishedOn ?? Infinity).toBeLessThan((job.processedOn ?? 0) + 9000);
});
