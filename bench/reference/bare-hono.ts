/**
 * Reference server: bare Hono on @hono/node-server, with looplab's own postgres.js client settings
 * (reference-sql.ts) and the same query as looplab's `/db/async?queries=1`, on the same database. No
 * middleware, no deadline, no metrics: what the technique costs without looplab's plumbing.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WORLD_ROWS, type WorldRow } from '../../server/clients/world-store.ts';
import { serveParent } from '../../lib/child-process.ts';
import { referenceSql } from './reference-sql.ts';

const databaseUrl = process.env['BENCH_DATABASE_URL'];
if (!databaseUrl) {
  console.error('bench/reference/bare-hono.ts is started by the bench; it needs BENCH_DATABASE_URL');
  process.exit(2);
}
const sql = referenceSql(databaseUrl);

const app = new Hono()
  .get('/health', (c) => c.json({ status: 'ok' }))
  .get('/db', async (c) => {
    const id = randomInt(1, WORLD_ROWS + 1);
    const rows = await sql<WorldRow[]>`select id, randomnumber as "randomNumber" from world where id = ${id}`;
    return c.json({ rows: [rows[0]] });
  });

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  serveParent(`http://127.0.0.1:${info.port}`, () => sql.end({ timeout: 5 }));
});
