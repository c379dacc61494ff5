import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { proxiedDatabase, proxiedUpstream, type TcpProxy } from './helpers/tcp-proxy.ts';

/**
 * The lab's first lesson: ten waits of 200 ms take about 200 ms when made at once (async) and about
 * 2 s when made one after another (blocking). Proxies in front of the upstream and the database count
 * how many calls were in flight at once; the durations are checked only by lower bounds (a wait cannot
 * be shorter than what it waits for) and one ratio with a wide margin.
 */
const COUNT = 10;
const DELAY_MS = 200;

let app: TestApp;
let upstream: { proxy: TcpProxy; url: string };
let db: { proxy: TcpProxy; url: string };
beforeAll(async () => {
  upstream = await proxiedUpstream(inject('upstreamUrl'));
  db = await proxiedDatabase(inject('databaseUrl'));
  // A pool as large as the request's queries, so async mode can send them all at once.
  app = await startTestApp({ upstreamUrl: upstream.url, databaseUrl: db.url, dbPool: COUNT });
  // Open every connection first, so the counts and durations below see only the calls.
  for (const path of [
    '/fetch/blocking?delay=0',
    `/fetch/async?delay=0&count=${COUNT}`,
    '/db/blocking',
    `/db/async?queries=${COUNT}`,
  ]) {
    expect((await app.get(path)).status, path).toBe(200);
  }
});
afterAll(async () => {
  await app.close();
  await upstream.proxy.close();
  await db.proxy.close();
});

/** Runs one request and reports its work time and the most calls the proxy saw in flight at once. */
async function measure(proxy: TcpProxy, path: string): Promise<{ durationMs: number; peak: number; calls: number }> {
  await proxy.resetStats();
  const res = await app.get(path);
  const body = (await res.json()) as { durationMs: number };
  expect(res.status, JSON.stringify(body)).toBe(200);
  const { peakAwaiting, calls } = await proxy.stats();
  return { durationMs: body.durationMs, peak: peakAwaiting, calls };
}

describe.each([
  { workload: 'fetch', query: `count=${COUNT}&delay=${DELAY_MS}`, proxy: () => upstream.proxy },
  { workload: 'db', query: `queries=${COUNT}&sleep=${DELAY_MS}`, proxy: () => db.proxy },
])('$workload?$query', ({ workload, query, proxy }) => {
  let blocking: Awaited<ReturnType<typeof measure>>;
  let async: Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => {
    blocking = await measure(proxy(), `/${workload}/blocking?${query}`);
    async = await measure(proxy(), `/${workload}/async?${query}`);
  });

  it('blocking mode makes the calls one after another, so it takes at least all the waits added up', () => {
    expect(blocking.peak).toBe(1);
    expect(blocking.calls).toBeGreaterThanOrEqual(COUNT);
    expect(blocking.durationMs).toBeGreaterThanOrEqual(COUNT * DELAY_MS);
  });

  it('async mode makes all the calls at once, so it takes about one wait', () => {
    expect(async.peak).toBe(COUNT);
    expect(async.durationMs).toBeGreaterThanOrEqual(DELAY_MS);
    // About 1 wait against about 10: even a loaded machine keeps async well under a third.
    expect(async.durationMs * 3).toBeLessThan(blocking.durationMs);
  });
});
