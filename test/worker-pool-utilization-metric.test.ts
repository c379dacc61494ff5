import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSample } from '../loadtest/measure/server-metrics.ts';
import { spinWorkload } from './helpers/spin-workload.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * README, Endpoints: `/metrics` has the worker pool's utilization — `looplab_worker_pool_utilization`,
 * "share of the worker pool's capacity spent running tasks since it started", 0..1. Its value is
 * pinned between two figures the test computes from its own clocks: the tasks' known busy time over
 * the most capacity the pool can have had (lower bound), and their whole round trips over the least
 * (upper bound).
 */
const THREADS = 2;
const SPIN_MS = 300;
const TASKS = 4;

let spin: Awaited<ReturnType<typeof spinWorkload>>;
let app: TestApp;
let startedAt = 0; // before the pool was created
let listeningAt = 0; // after it was
beforeAll(async () => {
  spin = await spinWorkload();
  startedAt = performance.now();
  app = await startTestApp({ workers: THREADS, workloads: spin.registry, requestTimeoutMs: 60_000 });
  listeningAt = performance.now();
});
afterAll(async () => {
  await app.close();
  await spin.remove();
});

const utilization = async () => {
  const value = readSample(await (await app.get('/metrics')).text(), 'looplab_worker_pool_utilization');
  if (value === undefined) throw new Error('looplab_worker_pool_utilization is missing from /metrics');
  return value;
};

it('reads 0 before the pool has run a task', async () => {
  expect(await utilization()).toBe(0);
});

it("reads the tasks' run time over the pool's capacity since it started", async () => {
  const roundTrips: number[] = [];
  await Promise.all(
    Array.from({ length: TASKS }, async () => {
      const sent = performance.now();
      const res = await app.get(`/spin/worker?ms=${SPIN_MS}`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      roundTrips.push(performance.now() - sent);
    }),
  );
  const scrapeSent = performance.now();
  const value = await utilization();
  const scrapeAnswered = performance.now();

  const busyAtLeast = TASKS * SPIN_MS;
  const busyAtMost = roundTrips.reduce((a, b) => a + b, 0);
  const lower = busyAtLeast / (THREADS * (scrapeAnswered - startedAt));
  const upper = busyAtMost / (THREADS * (scrapeSent - listeningAt));
  expect(value).toBeGreaterThanOrEqual(lower);
  expect(value).toBeLessThanOrEqual(Math.min(1, upper));
  // Not a vacuous window: the tasks filled a fair share of the pool's life so far.
  expect(lower).toBeGreaterThan(0.05);
});
