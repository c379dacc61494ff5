import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runOpenModel } from '../loadtest/open-model.ts';
import { readSample } from '../loadtest/server-metrics.ts';
import { typeScriptLoaderArgs } from '../server/offload/loader-args.ts';

/**
 * Ten times the load the server can serve, for a minute, against the real server in its own process:
 * memory stays bounded (the queues are), /health keeps answering, excess work is refused with fast
 * 503s, and once the load stops the server is back to normal within seconds.
 */
const OVERLOAD_SECONDS = 60;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(process.execPath, [...typeScriptLoaderArgs(), 'server/main.ts'], {
    env: { ...process.env, PORT: '0', DATABASE_URL: inject('databaseUrl'), UPSTREAM_URL: inject('upstreamUrl'), WORKERS: '1', WORKER_QUEUE: '4', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /looplab listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
  });
  while ((await fetch(`${url}/ready`)).status !== 200) await new Promise((r) => setTimeout(r, 100));
});
afterAll(() => {
  child.kill('SIGKILL');
});

const rss = async () => readSample(await (await fetch(`${url}/metrics`)).text(), 'process_resident_memory_bytes') ?? Number.NaN;

it(`survives 10× its capacity for ${OVERLOAD_SECONDS} s and recovers at once`, async () => {
  // One worker, ~40 ms per request: capacity is ~25 req/s. Offer ten times that.
  const path = '/cpu/worker?task=sum-squares&n=20000000';
  const single = await fetch(url + path);
  const perRequestMs = ((await single.json()) as { durationMs: number }).durationMs;
  const capacity = 1000 / perRequestMs;
  const memoryBefore = await rss();

  const origin = new URL(url).origin;
  const [load, health] = await Promise.all([
    runOpenModel({ origin, path, rate: Math.ceil(capacity * 10), durationSeconds: OVERLOAD_SECONDS, maxInFlight: 2000, timeoutMs: 10_000, drainMs: 5_000 }),
    runOpenModel({ origin, path: '/health', rate: 10, durationSeconds: OVERLOAD_SECONDS, maxInFlight: 100, timeoutMs: 10_000 }),
  ]);
  const memoryAfter = await rss();

  // Served about what one worker can do; everything else refused, nothing lost or timed out.
  expect(load.errors).toBe(0);
  expect(load.non2xx).toBeGreaterThan(load.completed * 0.5);
  expect(load.completed).toBe(load.sent);
  // Refusals are fast, so even the tail of all answers stays far below a queued wait.
  expect(load.latency.p90).toBeLessThan(1_000);
  // Other callers were served throughout.
  expect(health.errors + health.non2xx).toBe(0);
  expect(health.latency.p99).toBeLessThan(500);
  // Bounded queues mean bounded memory: no growth with the backlog that was refused.
  expect(memoryAfter - memoryBefore).toBeLessThan(150 * 2 ** 20);

  // Back to normal within seconds once the load stops.
  const stoppedAt = performance.now();
  let status = 0;
  while (status !== 200 && performance.now() - stoppedAt < 5_000) status = (await fetch(url + path)).status;
  expect(status).toBe(200);
  expect((await fetch(`${url}/ready`)).status).toBe(200);
}, (OVERLOAD_SECONDS + 60) * 1000);
