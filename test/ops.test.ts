import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readSample } from '../loadtest/measure/server-metrics.ts';
import { startTestApp, untilReady, type TestApp } from './helpers/test-app.ts';
import { proxiedDatabase, proxiedUpstream, type TcpProxy } from './helpers/tcp-proxy.ts';
import { waitFor } from './helpers/wait-for.ts';

const scrape = async (app: TestApp) => (await app.get('/metrics')).text();

/** One sample of /metrics, which must be there. */
async function sample(app: TestApp, name: string): Promise<number> {
  const value = readSample(await scrape(app), name);
  if (value === undefined) throw new Error(`${name} is missing from /metrics`);
  return value;
}

/** Polls /metrics until `name` reads `expected`; fails (instead of hanging) if it never does. */
const sampleReaches = (app: TestApp, name: string, expected: number) =>
  waitFor(`${name} to read ${expected}`, async () => ((await sample(app, name)) === expected ? true : undefined));

describe('/metrics', () => {
  let app: TestApp;
  let upstream: { proxy: TcpProxy; url: string };
  beforeAll(async () => {
    upstream = await proxiedUpstream(inject('upstreamUrl'));
    app = await startTestApp({ upstreamUrl: upstream.url });
  });
  afterAll(async () => {
    await app.close();
    await upstream.proxy.close();
  });

  it('counts each request once under its workload, mode and status, in Prometheus text format', async () => {
    await app.get('/cpu/worker?n=1000');
    await app.get('/db/async?queries=2');
    await app.get('/cpu/async?n=abc');
    const res = await app.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^looplab_request_duration_seconds_count\{workload="cpu",mode="worker",status="200"\} 1$/m);
    expect(text).toMatch(/^looplab_request_duration_seconds_count\{workload="db",mode="async",status="200"\} 1$/m);
    expect(text).toMatch(/^looplab_request_duration_seconds_count\{workload="cpu",mode="async",status="400"\} 1$/m);
    expect(text).toMatch(/^looplab_db_pool_size 4$/m);
    expect(text).toMatch(/^looplab_worker_pool_threads 2$/m);
  });

  it('shows the DB connections in use while queries run, and none after', async () => {
    const running = Promise.all([1, 2, 3].map(() => app.get('/db/async?sleep=800')));
    await sampleReaches(app, 'looplab_db_pool_in_use', 3);
    for (const res of await running) expect(res.status).toBe(200);
    expect(await sample(app, 'looplab_db_pool_in_use')).toBe(0);
  });

  it('shows the worker tasks waiting for a thread while both threads are busy, and none after', async () => {
    await untilReady(app);
    const running = Promise.all([1, 2, 3, 4, 5].map(() => app.get('/fetch/worker?delay=800')));
    // Two threads take one task each: three wait.
    await sampleReaches(app, 'looplab_worker_pool_queue_size', 3);
    for (const res of await running) expect(res.status).toBe(200);
    expect(await sample(app, 'looplab_worker_pool_queue_size')).toBe(0);
  });

  it('counts the time the event loop was held by blocking work as active, and reports a utilization of at least its share of the window', async () => {
    await scrape(app); // the lag figures cover the time since the previous scrape
    // The utilization gauge covers the time from the next scrape to the last one below, which lies
    // inside this window: the sum filled at least durationMs of it, however slow the machine.
    const windowStart = performance.now();
    const activeBefore = await sample(app, 'looplab_event_loop_active_seconds_total');
    const res = await app.get('/cpu/blocking?n=50000000');
    const { durationMs } = (await res.json()) as { durationMs: number };
    const text = await scrape(app);
    const windowMs = performance.now() - windowStart;
    const activeGrowth = (readSample(text, 'looplab_event_loop_active_seconds_total') ?? 0) - activeBefore;
    // The loop ran the sum the whole time it took: at least that much active time was added.
    expect(activeGrowth).toBeGreaterThanOrEqual(durationMs / 1000);
    const utilization = readSample(text, 'looplab_event_loop_utilization') ?? Number.NaN;
    expect(utilization).toBeGreaterThanOrEqual(durationMs / windowMs);
    expect(utilization).toBeLessThanOrEqual(1);
  });

  it('records at least the work time of a request in its duration histogram', async () => {
    const res = await app.get('/db/async?sleep=300');
    const { durationMs } = (await res.json()) as { durationMs: number };
    const text = await scrape(app);
    const sum = Number(
      /^looplab_request_duration_seconds_sum\{workload="db",mode="async",status="200"\} (\S+)$/m.exec(text)?.[1],
    );
    expect(sum).toBeGreaterThanOrEqual(durationMs / 1000);
    expect(durationMs).toBeGreaterThanOrEqual(300);
  });

  it('does not make a label out of an unknown path', async () => {
    await app.get('/nonsense/async');
    const text = await scrape(app);
    expect(text).not.toContain('nonsense');
  });
});

type ReadyBody = { status: string; checks: Record<string, string> };
const readyOf = async (app: TestApp) => {
  const res = await app.get('/ready');
  return { status: res.status, body: (await res.json()) as ReadyBody };
};

describe('/ready', () => {
  let app: TestApp;
  let db: { proxy: TcpProxy; url: string };
  let upstream: { proxy: TcpProxy; url: string };
  beforeAll(async () => {
    db = await proxiedDatabase(inject('databaseUrl'));
    upstream = await proxiedUpstream(inject('upstreamUrl'));
    app = await startTestApp({ databaseUrl: db.url, upstreamUrl: upstream.url });
  });
  afterAll(async () => {
    await app.close();
    await db.proxy.close();
    await upstream.proxy.close();
  });

  it('is 200 when database, upstream and workers are usable', async () => {
    await untilReady(app);
    expect(await readyOf(app)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', upstream: 'ok', workers: 'ok' } },
    });
  });

  it('turns 503 naming the database when the database goes away, and recovers when it is back', async () => {
    await db.proxy.cut();
    const down = await readyOf(app);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks).toMatchObject({
      database: expect.stringMatching(/^unavailable/),
      upstream: 'ok',
      workers: 'ok',
    });
    expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|postgres:\/\/|looplab@/);
    expect((await app.get('/health')).status).toBe(200);

    await db.proxy.restore();
    await untilReady(app);
  });

  it('turns 503 naming the upstream when the upstream goes away, and recovers when it is back', async () => {
    await upstream.proxy.cut();
    const down = await readyOf(app);
    expect(down.status).toBe(503);
    expect(down.body.checks).toMatchObject({
      database: 'ok',
      upstream: expect.stringMatching(/^unavailable/),
      workers: 'ok',
    });
    expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|http:\/\//);
    await upstream.proxy.restore();
    await untilReady(app);
  });

  it('answers /db/* with 503 JSON while the database is away', async () => {
    await db.proxy.cut();
    try {
      const res = await app.get('/db/async');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'the database is unavailable' });
    } finally {
      await db.proxy.restore();
    }
  });
});

it('/ready turns 503 naming the workers when the worker pool does not answer', async () => {
  const app = await startTestApp({ workerEntry: new URL('./fixtures/deaf-worker-boot.cjs', import.meta.url) });
  try {
    expect(await readyOf(app)).toEqual({
      status: 503,
      body: { status: 'unavailable', checks: { database: 'ok', upstream: 'ok', workers: 'no answer within 2000 ms' } },
    });
  } finally {
    await app.close();
  }
});
