import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

describe('/metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('exposes event-loop, request, worker-pool and DB-pool metrics in Prometheus text format', async () => {
    await app.get('/cpu/worker?n=1000');
    await app.get('/db/async?queries=2');
    await app.get('/cpu/async?n=abc');
    const res = await app.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      'nodejs_eventloop_lag_p50_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'looplab_event_loop_utilization',
      'looplab_event_loop_active_seconds_total',
      'looplab_worker_pool_queue_size',
      'looplab_worker_pool_utilization',
      'looplab_db_pool_in_use',
      'looplab_db_pool_size',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} [0-9.e+-]+$`, 'm'));
    }
    expect(text).toMatch(/^looplab_request_duration_seconds_count\{workload="cpu",mode="worker",status="200"\} 1$/m);
    expect(text).toMatch(/^looplab_request_duration_seconds_count\{workload="db",mode="async",status="200"\} 1$/m);
    expect(text).toMatch(/^looplab_request_duration_seconds_count\{workload="cpu",mode="async",status="400"\} 1$/m);
    expect(text).toMatch(/^looplab_db_pool_size 4$/m);
  });

  it('does not make a label out of an unknown path', async () => {
    await app.get('/nonsense/async');
    const text = await (await app.get('/metrics')).text();
    expect(text).not.toContain('nonsense');
  });
});

describe('/ready', () => {
  let app: TestApp;
  let dbProxy: TcpProxy;
  beforeAll(async () => {
    const real = new URL(inject('databaseUrl'));
    dbProxy = await startTcpProxy(real.hostname, Number(real.port));
    real.port = String(dbProxy.port);
    app = await startTestApp({ databaseUrl: real.href });
  });
  afterAll(async () => {
    await app.close();
    await dbProxy.close();
  });

  it('is 200 when database, upstream and workers are usable', async () => {
    const res = await app.get('/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', upstream: 'ok', workers: 'ok' } });
  });

  it('turns 503 naming the database when the database goes away, and recovers when it is back', async () => {
    await dbProxy.cut();
    const down = await app.get('/ready');
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('unavailable');
    expect(body.checks['database']).not.toBe('ok');
    expect(body.checks['upstream']).toBe('ok');
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|postgres:\/\/|looplab@/);
    expect((await app.get('/health')).status).toBe(200);

    await dbProxy.restore();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await app.get('/ready')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });

  it('answers /db/* with 503 JSON while the database is away', async () => {
    await dbProxy.cut();
    try {
      const res = await app.get('/db/async');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'the database is unavailable' });
    } finally {
      await dbProxy.restore();
    }
  });
});
