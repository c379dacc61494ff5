import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';
import { createSql } from '../server/clients/world-store.ts';

const MODES = ['blocking', 'async', 'worker'] as const;

async function timed(app: TestApp, path: string) {
  const started = performance.now();
  const res = await app.get(path);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, headers: res.headers, ms: performance.now() - started };
}

describe('overload: bounded queues refuse at once', () => {
  it('refuses worker tasks beyond the queue with 503 and Retry-After, and serves the rest', async () => {
    const app = await startTestApp({ workers: 1, workerQueue: 1 });
    try {
      // While a thread is still starting piscina counts it as capacity; measure the steady state.
      expect((await timed(app, '/ready')).status).toBe(200);
      const answers = await Promise.all(Array.from({ length: 5 }, () => timed(app, '/cpu/worker?n=300000000')));
      const refused = answers.filter((a) => a.status === 503);
      const served = answers.filter((a) => a.status === 200);
      expect(served.length).toBeGreaterThanOrEqual(2); // one running, one queued
      expect(refused.length).toBeGreaterThanOrEqual(2);
      for (const r of refused) {
        expect(r.body).toEqual({ error: 'the worker pool queue is full; retry later', code: 'OVERLOADED' });
        expect(r.headers.get('retry-after')).toBe('1');
        // Refused without waiting for the work ahead of it (each task takes several hundred ms).
        expect(r.ms).toBeLessThan(Math.min(...served.map((s) => s.ms)));
      }
      expect((await timed(app, '/cpu/worker?n=1000')).status).toBe(200);
      const metrics = await (await app.get('/metrics')).text();
      expect(metrics).toMatch(new RegExp(`^looplab_request_failures_total\\{workload="cpu",mode="worker",reason="overloaded"\\} ${refused.length}$`, 'm'));
    } finally {
      await app.close();
    }
  });

  it('refuses DB queries beyond the async pool queue with 503', async () => {
    const app = await startTestApp({ dbPool: 1, dbQueue: 1 });
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => timed(app, '/db/async?sleep=300')));
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
      const refused = answers.filter((a) => a.status === 503);
      expect(refused.length).toBeGreaterThanOrEqual(2);
      expect(refused[0]?.body).toEqual({ error: 'the database pool queue is full; retry later', code: 'OVERLOADED' });
      expect(refused[0]?.headers.get('retry-after')).toBe('1');
    } finally {
      await app.close();
    }
  });
});

describe('deadlines', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ requestTimeoutMs: 500, upstreamTimeoutMs: 5000, workers: 1 });
  });
  afterAll(() => app.close());

  it.each(['async', 'worker'])('answers 504 at the request deadline in %s mode and abandons the work', async (mode) => {
    const fetchAnswer = await timed(app, `/fetch/${mode}?delay=3000`);
    expect(fetchAnswer.status).toBe(504);
    expect(fetchAnswer.body).toEqual({ error: 'the request took longer than its deadline', deadlineMs: 500 });
    expect(fetchAnswer.ms).toBeLessThan(2000);
    const cpuAnswer = await timed(app, `/cpu/${mode}?n=500000000`);
    expect(cpuAnswer.status).toBe(504);
    // The cancelled task freed its worker (piscina replaces an aborted thread): short work runs again.
    expect((await timed(app, `/cpu/${mode}?n=1000`)).status).toBe(200);
  });
});

describe('a slow or failing upstream', () => {
  it.each(MODES)('answers 504 when the upstream is slower than the call timeout (%s)', async (mode) => {
    const app = await startTestApp({ upstreamTimeoutMs: 300 });
    try {
      const answer = await timed(app, `/fetch/${mode}?delay=3000`);
      expect(answer.status).toBe(504);
      expect(answer.body).toEqual({ error: 'the upstream did not answer in time' });
      expect(answer.ms).toBeLessThan(2500);
    } finally {
      await app.close();
    }
  });

  it('answers 502 naming the status when the upstream answers an error', async () => {
    const app = await startTestApp({ upstreamUrl: `${inject('upstreamUrl')}/no-such-prefix` });
    try {
      for (const mode of MODES) {
        const answer = await timed(app, `/fetch/${mode}?delay=0`);
        expect(answer.status, mode).toBe(502);
        expect(answer.body).toEqual({ error: 'the upstream answered with an error', upstreamStatus: 404 });
      }
    } finally {
      await app.close();
    }
  });

  describe('when the upstream goes away and comes back', () => {
    let proxy: TcpProxy;
    let app: TestApp;
    beforeAll(async () => {
      const upstream = new URL(inject('upstreamUrl'));
      proxy = await startTcpProxy(upstream.hostname, Number(upstream.port));
      app = await startTestApp({ upstreamUrl: `http://127.0.0.1:${proxy.port}` });
    });
    afterAll(async () => {
      await app.close();
      await proxy.close();
    });

    it('answers 502 in every mode without leaking the address, keeps /health up, and recovers by itself', async () => {
      for (const mode of MODES) expect((await timed(app, `/fetch/${mode}?delay=1`)).status).toBe(200);
      await proxy.cut();
      for (const mode of MODES) {
        const answer = await timed(app, `/fetch/${mode}?delay=1`);
        expect(answer.status, mode).toBe(502);
        expect(answer.body['error']).toBe('the upstream could not be reached');
        expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}/);
        expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect((await timed(app, '/health')).status).toBe(200);
      await proxy.restore();
      for (const mode of MODES) expect((await timed(app, `/fetch/${mode}?delay=1`)).status, mode).toBe(200);
    });

    it('answers 502 when the upstream accepts and then closes the connection, and recovers', async () => {
      await proxy.hangup();
      for (const mode of MODES) {
        const answer = await timed(app, `/fetch/${mode}?delay=1`);
        expect(answer.status, mode).toBe(502);
        expect(answer.body['error']).toBe('the upstream could not be reached');
      }
      await proxy.restore();
      for (const mode of MODES) expect((await timed(app, `/fetch/${mode}?delay=1`)).status, mode).toBe(200);
    });
  });

  it('answers 504 when the upstream accepts but never answers', async () => {
    const upstream = new URL(inject('upstreamUrl'));
    const proxy = await startTcpProxy(upstream.hostname, Number(upstream.port));
    const app = await startTestApp({ upstreamUrl: `http://127.0.0.1:${proxy.port}`, upstreamTimeoutMs: 400 });
    try {
      await proxy.stall();
      for (const mode of MODES) {
        const answer = await timed(app, `/fetch/${mode}?delay=1`);
        expect(answer.status, mode).toBe(504);
        expect(answer.ms, mode).toBeLessThan(3_000);
      }
    } finally {
      await app.close();
      await proxy.close();
    }
  });
});

describe('a client that disconnects', () => {
  it.each(['async', 'worker'])('cancels its %s work instead of finishing it', async (mode) => {
    const app = await startTestApp({ workers: 1 });
    try {
      expect((await timed(app, '/ready')).status).toBe(200);
      const controller = new AbortController();
      const gone = fetch(`${app.url}/cpu/${mode}?n=500000000`, { signal: controller.signal }).catch(() => 'aborted');
      await new Promise((resolve) => setTimeout(resolve, 150));
      controller.abort(); // closes the socket, as a client that goes away does
      expect(await gone).toBe('aborted');
      // Only a cancelled request is counted as client_closed; finished work would have been a 200.
      const counted = new RegExp(`^looplab_request_failures_total\\{workload="cpu",mode="${mode}",reason="client_closed"\\} 1$`, 'm');
      let metrics = '';
      for (let i = 0; i < 30 && !counted.test(metrics); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        metrics = await (await app.get('/metrics')).text();
      }
      expect(metrics).toMatch(counted);
      expect(metrics).not.toMatch(new RegExp(`looplab_request_duration_seconds_count\\{workload="cpu",mode="${mode}",status="200"\\}`));
    } finally {
      await app.close();
    }
  });
});

describe('a database that hangs', () => {
  it('answers 504 at the deadline instead of hanging, keeps /health up, and recovers when it answers again', async () => {
    const real = new URL(inject('databaseUrl'));
    const proxy = await startTcpProxy(real.hostname, Number(real.port));
    real.port = String(proxy.port);
    const app = await startTestApp({ databaseUrl: real.href, requestTimeoutMs: 1500 });
    try {
      expect((await timed(app, '/db/async')).status).toBe(200);
      await proxy.stall();
      for (const mode of ['async', 'worker']) {
        const answer = await timed(app, `/db/${mode}`);
        expect([503, 504], mode).toContain(answer.status);
        expect(answer.ms, mode).toBeLessThan(3_000);
      }
      expect((await timed(app, '/health')).status).toBe(200);
      await proxy.restore();
      let status = 0;
      const restored = performance.now();
      while (status !== 200 && performance.now() - restored < 15_000) {
        status = (await timed(app, '/db/async')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
    } finally {
      await app.close();
      await proxy.close();
    }
  });
});

describe('optional shedding on event-loop delay', () => {
  it('refuses workload requests right after a stall, keeps /health, and serves again once the loop is calm', async () => {
    const app = await startTestApp({ shedLoopDelayMs: 200 });
    try {
      expect((await timed(app, '/cpu/async?n=10')).status).toBe(200);
      expect((await timed(app, '/cpu/blocking?n=500000000')).status).toBe(200); // stalls the loop ~1 s
      const shed = await timed(app, '/cpu/async?n=10');
      expect(shed.status).toBe(503);
      expect(shed.body).toMatchObject({ error: 'the server is under pressure: its event loop stalled', code: 'UNDER_PRESSURE' });
      expect(shed.body['eventLoopDelayMs']).toBeGreaterThan(200);
      expect(shed.headers.get('retry-after')).toBe('1');
      expect((await timed(app, '/health')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect((await timed(app, '/cpu/async?n=10')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('is off by default: the same stall sheds nothing', async () => {
    const app = await startTestApp();
    try {
      expect((await timed(app, '/cpu/blocking?n=500000000')).status).toBe(200);
      expect((await timed(app, '/cpu/async?n=10')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('a worker thread that crashes', () => {
  it('fails only its own request with a 500 JSON, is replaced, and leaves the others unaffected', async () => {
    const app = await startTestApp({ workers: 2, workerEntry: new URL('./fixtures/crashing-worker-boot.cjs', import.meta.url) });
    try {
      expect((await timed(app, '/ready')).status).toBe(200);
      const [other, crashed] = await Promise.all([timed(app, '/cpu/worker?n=200000000'), timed(app, '/cpu/worker?n=4242')]);
      expect(crashed.status).toBe(500);
      expect(crashed.body).toEqual({ error: 'a worker thread failed while running the task; it has been replaced', code: 'WORKER_CRASHED' });
      expect(JSON.stringify(crashed.body)).not.toMatch(/on purpose|at \w/);
      expect(other.status).toBe(200);
      // The pool is whole again: both threads serve.
      const after = await Promise.all([timed(app, '/cpu/worker?n=1000'), timed(app, '/cpu/worker?n=1000')]);
      expect(after.map((a) => a.status)).toEqual([200, 200]);
      expect((await timed(app, '/ready')).status).toBe(200);
      const metrics = await (await app.get('/metrics')).text();
      expect(metrics).toMatch(/^looplab_request_failures_total\{workload="cpu",mode="worker",reason="worker_crash"\} 1$/m);
    } finally {
      await app.close();
    }
  });
});

describe('an abandoned query', () => {
  it('is cancelled on the database server when its request hits the deadline', async () => {
    const app = await startTestApp({ requestTimeoutMs: 500 });
    const observer = createSql(inject('databaseUrl'), 1);
    const sleepingQueries = async () =>
      Number((await observer`select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%pg_sleep%' and pid <> pg_backend_pid()`)[0]?.['n']);
    try {
      const answer = await timed(app, '/db/async?sleep=8000');
      expect(answer.status).toBe(504);
      let running = await sleepingQueries();
      for (let i = 0; i < 20 && running > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        running = await sleepingQueries();
      }
      // Without cancellation the pg_sleep would go on for its full 8 s.
      expect(running).toBe(0);
    } finally {
      await observer.end();
      await app.close();
    }
  });
});
