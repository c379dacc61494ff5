import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { freePort } from '../lib/free-port.ts';
import type { ManagedChild } from '../lib/child-process.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * A real PostgreSQL of this file's own, stopped and started again mid-test, as an operator restarting
 * the database would. The other files' database is left alone.
 */
const MODES = ['blocking', 'async', 'worker'] as const;
const dataDir = resolve('.looplab/postgres-restart-test');
let port: number;
let pg: ManagedChild | undefined;
let app: TestApp;

beforeAll(async () => {
  port = await freePort();
  pg = await startEmbeddedPostgres({ port, dataDir });
  await migrate(pg.url);
  app = await startTestApp({ databaseUrl: pg.url });
});
afterAll(async () => {
  await app?.close();
  await pg?.stop();
});

/** The causes of a 503 that mean "refused without waiting": no connect timeout among them. */
const REFUSED = /^(ECONNREFUSED|DB_UNAVAILABLE|CONNECTION_CLOSED|ECONNRESET|57P01)$/;

async function get(path: string) {
  const res = await app.get(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('degrades to fast 503s while the database is down and recovers by itself when it is back', async () => {
  for (const mode of MODES) expect((await get(`/db/${mode}?queries=3`)).status, mode).toBe(200);

  await pg?.stop();
  for (const mode of MODES) {
    const answer = await get(`/db/${mode}`);
    expect(answer.status, mode).toBe(503);
    expect(answer.body['error']).toBe('the database is unavailable');
    // Refused at once, by cause rather than by clock: the database refused the connection (or its
    // pooled one was closed with it), or the breaker refused without trying; never a connect timeout.
    expect(answer.body['code'], mode).toMatch(REFUSED);
  }
  const ready = await get('/ready');
  expect(ready.status).toBe(503);
  expect((ready.body['checks'] as Record<string, string>)['database']).not.toBe('ok');
  expect((await get('/health')).status).toBe(200);

  pg = await startEmbeddedPostgres({ port, dataDir });
  // The first query after the restart must already succeed in every mode: pooled connections that
  // died with the old server are replaced and the read retried, not reported to the caller.
  for (const mode of MODES) {
    const answer = await get(`/db/${mode}?queries=2`);
    expect(answer.status, `${mode}: ${JSON.stringify(answer.body)}`).toBe(200);
  }
  expect((await get('/ready')).status).toBe(200);
});

it('keeps the first query after a restart from failing even when no request came in between', async () => {
  for (const mode of MODES) expect((await get(`/db/${mode}`)).status).toBe(200);
  await pg?.stop();
  pg = await startEmbeddedPostgres({ port, dataDir });
  for (const mode of MODES) {
    const answer = await get(`/db/${mode}?queries=4`);
    expect(answer.status, `${mode}: ${JSON.stringify(answer.body)}`).toBe(200);
  }
});
