import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSample } from '../loadtest/measure/server-metrics.ts';
import { descendants, stillAlive } from './helpers/process-tree.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * README, queue mode: `/metrics` has `looplab_queue_in_flight`, "jobs this server has in the queue,
 * waiting or running (at most QUEUE_MAX)". One worker taking one job at a time and three slow jobs:
 * one runs, two wait, and the gauge reads exactly three until they are answered, then zero.
 */
const JOBS = 3;
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ QUEUE_WORKERS: '1', QUEUE_CONCURRENCY: '1', REQUEST_TIMEOUT_MS: '60000' });
  // The server listens before its queue worker is up: wait until one serves.
  await waitFor(
    'a queue worker to serve',
    async () => ((await fetch(`${server.url}/cpu/queue?n=0`)).status === 200 ? true : undefined),
    60_000,
    100,
  );
});
afterAll(async () => {
  if (!server) return;
  const tree = descendants(server.pid);
  server.kill('SIGKILL');
  for (const pid of stillAlive(tree)) process.kill(pid, 'SIGKILL');
});

const inFlight = async () => {
  const value = readSample(await (await fetch(`${server.url}/metrics`)).text(), 'looplab_queue_in_flight');
  if (value === undefined) throw new Error('looplab_queue_in_flight is missing from /metrics');
  return value;
};

it('counts the jobs this server has in the queue, waiting or running, and none once they are answered', async () => {
  expect(await inFlight()).toBe(0);
  const delay = 1500 + randomInt(0, 500);
  const answers = Promise.all(
    Array.from({ length: JOBS }, (_, i) => fetch(`${server.url}/fetch/queue?delay=${delay + i}`)),
  );
  const seen: number[] = [];
  await waitFor(
    `looplab_queue_in_flight to read ${JOBS}`,
    async () => {
      const value = await inFlight();
      seen.push(value);
      return value === JOBS ? true : undefined;
    },
    20_000,
    20,
  );
  const statuses = (await answers).map((res) => res.status);
  expect(statuses).toEqual([200, 200, 200]);
  expect(Math.max(...seen)).toBe(JOBS);
  expect(await inFlight()).toBe(0);
});
