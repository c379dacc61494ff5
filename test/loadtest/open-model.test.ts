import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runOpenModel } from '../../loadtest/measure/open-model.ts';

/**
 * A server in another process that answers at once, except that 1 s after its first request it
 * stalls its event loop for 1 s (test/fixtures/stalling-server.cjs). In the open model that second
 * must show in the tail latencies.
 */
let child: ChildProcess;
let origin: string;
beforeAll(async () => {
  child = fork(new URL('../fixtures/stalling-server.cjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [port] = (await once(child, 'message')) as [number];
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  child.kill();
});

it('measures from intended start times, so a 1 s stall shows in p99 and max', async () => {
  const result = await runOpenModel({ origin, path: '/', rate: 100, durationSeconds: 3, maxInFlight: 500, timeoutMs: 10_000 });
  expect(result.sent + result.dropped).toBe(300);
  expect(result.errors).toBe(0);
  expect(result.completed).toBe(result.sent);
  // Requests due during the stall waited for its end: the worst waited nearly the whole second...
  expect(result.latency.max).toBeGreaterThan(800);
  // ...and about a third of all requests were due during it, so p99 is far above a healthy answer.
  expect(result.latency.p99).toBeGreaterThan(500);
  expect(result.latency.p50).toBeLessThan(200);
});
