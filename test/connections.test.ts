import { getEventListeners } from 'node:events';
import postgres from 'postgres';
import type { AsyncClients } from '../server/clients/index.ts';
import { createUpstreamClient } from '../server/clients/upstream-client.ts';
import { createWorldStore } from '../server/clients/world-store.ts';
import { dbWorkload } from '../server/workloads/db.ts';
import { fetchWorkload } from '../server/workloads/fetch.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ dbPool: 4, workers: 1, workerDbPool: 4 });
});
afterAll(() => app.close());

describe('many calls in one request', () => {
  // Node 20 warns (MaxListenersExceededWarning) past ten listeners on one signal; Node 24 no longer
  // does, so the listeners are counted instead: however many calls, one on the request's signal.
  const clients: AsyncClients = {
    db: createWorldStore(inject('databaseUrl'), 4),
    upstream: createUpstreamClient(inject('upstreamUrl')),
  };
  afterAll(async () => {
    await clients.db.close();
    await clients.upstream.close();
  });

  it.each([
    ['fetch', () => fetchWorkload.async({ delay: 0, bytes: 16, count: 25 }, clients, request.signal)],
    ['db', () => dbWorkload.async({ queries: 25, sleep: 0 }, clients, request.signal)],
  ] as const)('%s with 25 calls adds one abort listener to the request signal, not 25', async (_name, run) => {
    request = new AbortController();
    const work = run();
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
    await work;
  });
});
let request = new AbortController();

const admin = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
afterAll(() => admin.end());

/** Backends of other sessions currently sleeping in a query. */
const sleeping = () =>
  admin<Array<{ pid: number }>>`
    select pid from pg_stat_activity
    where state = 'active' and query like '%pg_sleep%' and pid <> pg_backend_pid()`;

describe('a database connection killed mid-query', () => {
  it.each(['async', 'worker'])(
    'is replaced and its query sent again, so the %s request still succeeds',
    async (mode) => {
      const request = app.get(`/db/${mode}?queries=4&sleep=400`);
      let victims: Array<{ pid: number }> = [];
      for (
        const until = Date.now() + 10_000;
        victims.length < 4 && Date.now() < until;
        await new Promise((r) => setTimeout(r, 20))
      ) {
        victims = await sleeping();
      }
      expect(victims).toHaveLength(4);
      // What a failover, a restart or an administrator's pg_terminate_backend does to open connections.
      const terminated = await admin<
        Array<{ ok: boolean }>
      >`select pg_terminate_backend(pid) as ok from unnest(${victims.map((v) => v.pid)}::int[]) as pid`;
      expect(terminated.every((row) => row.ok)).toBe(true);
      const answer = await request;
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { rows: unknown[] }).rows).toHaveLength(4);
    },
  );
});
