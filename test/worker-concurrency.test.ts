import { describe, expect, inject, it } from 'vitest';
import { createSql } from '../server/clients/world-store.ts';
import { startTestApp, untilReady } from './helpers/test-app.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
});
