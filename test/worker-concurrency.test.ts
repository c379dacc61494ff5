import { describe, expect, inject, it } from 'vitest';
import { createSql } from '../server/clients/world-store.ts';
import { proxiedUpstream } from './helpers/tcp-proxy.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { waitFor } from './helpers/wait-for.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls /ready: on a busy machine a worker thread can take seconds to load its TypeScript. */
async function untilReady(app: TestApp): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if ((await app.get('/ready')).status === 200) return;
    await pause(200);
  }
  throw new Error('the app did not become ready');
}

describe('several tasks per worker thread (WORKER_CONCURRENCY > 1)', () => {
  it('serves well-behaved clients without a failure while others on the same thread hang up, and cancels the abandoned queries inside the worker', async () => {
    // One thread running up to eight tasks: every request below shares it.
    const app = await startTestApp({ workers: 1, workerConcurrency: 8, workerDbPool: 4 });
    const observer = createSql(inject('databaseUrl'), 1);
    const sleepingQueries = async () =>
      Number(
        (
          await observer`select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%pg_sleep(%' and query not like '%pg_stat_activity%'`
        )[0]?.['n'],
      );
    try {
      await untilReady(app);
      const wellBehaved = Array.from({ length: 3 }, () => app.get('/fetch/worker?delay=1200'));
      const leaving = Array.from({ length: 3 }, () => new AbortController());
      const hungUp = leaving.map((c) =>
        fetch(`${app.url}/db/worker?sleep=8000`, { signal: c.signal }).catch(() => 'aborted'),
      );
      // Hang up only once all three queries run on the database.
      for (let i = 0; i < 50 && (await sleepingQueries()) < 3; i++) await pause(100);
      expect(await sleepingQueries()).toBe(3);
      for (const c of leaving) c.abort(); // closes the sockets mid-request, as clients that go away do

      expect(await Promise.all(hungUp)).toEqual(['aborted', 'aborted', 'aborted']);
      const answers = await Promise.all(wellBehaved);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      for (const a of answers)
        expect(await a.json()).toMatchObject({ workload: 'fetch', mode: 'worker', bytesReceived: 1024 });

      // The hang-ups cancelled their pg_sleep on the server, from inside the worker (it would run 8 s).
      let running = await sleepingQueries();
      for (let i = 0; i < 30 && running > 0; i++) {
        await pause(100);
        running = await sleepingQueries();
      }
      expect(running).toBe(0);
      const metrics = await (await app.get('/metrics')).text();
      expect(metrics).toMatch(
        /^looplab_request_failures_total\{workload="db",mode="worker",reason="client_closed"\} 3$/m,
      );
      expect(metrics).not.toMatch(/reason="worker_crash"/);
      // The thread was never ended: it still serves.
      expect((await app.get('/db/worker?queries=3')).status).toBe(200);
    } finally {
      await observer.end();
      await app.close();
    }
  });

  it('cancels a task at the deadline inside the worker: 504 for it, 200 for its neighbour', async () => {
    // The neighbour runs on the same thread while the late task is cancelled: sent halfway to the late
    // one's deadline, it waits 4 s upstream, so it is still running when that deadline (6 s) passes,
    // and it ends 2 s before its own. Checked by order, not by speed: sent before the 504 came, answered
    // after it. (It used to be a 300 ms call against a 700 ms deadline, and missed it at load average 17.)
    // The upstream is seen through a proxy: the late task's call must end there, abandoned, when the
    // worker cancels it. A 504 alone proves nothing: the event-loop thread answers it at the deadline
    // whatever the worker does.
    const deadlineMs = 6_000;
    const upstream = await proxiedUpstream(inject('upstreamUrl'));
    const app = await startTestApp({
      workers: 1,
      workerConcurrency: 4,
      requestTimeoutMs: deadlineMs,
      upstreamUrl: upstream.url,
    });
    try {
      await untilReady(app);
      await upstream.proxy.resetStats(); // /ready's own upstream checks are not this test's calls
      const answered = (res: Response) => ({ res, at: performance.now() });
      const late = app.get('/fetch/worker?delay=10000').then(answered);
      await pause(deadlineMs / 2);
      const neighbourSentAt = performance.now();
      const neighbour = await app.get(`/fetch/worker?delay=${deadlineMs - 2_000}`).then(answered);
      const cancelled = await late;
      expect(cancelled.res.status).toBe(504);
      expect(await cancelled.res.json()).toEqual({ error: 'the request took longer than its deadline', deadlineMs });
      expect(neighbour.res.status).toBe(200);
      expect(neighbourSentAt).toBeLessThan(cancelled.at);
      expect(neighbour.at).toBeGreaterThan(cancelled.at);
      // Cancelled inside the worker: its upstream call was closed unanswered (left alone it would run
      // 10 s and be answered), and the neighbour's call was answered, not cut.
      await waitFor(
        'the late call to be abandoned upstream',
        async () => ((await upstream.proxy.stats()).closedAwaiting >= 1 ? true : undefined),
        10_000,
      );
      expect(await upstream.proxy.stats()).toMatchObject({ calls: 2, closedAwaiting: 1, awaiting: 0 });
    } finally {
      await app.close();
      await upstream.proxy.close();
    }
  }, 60_000);
});
