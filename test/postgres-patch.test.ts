import postgres from 'postgres';
import { expect, inject, it } from 'vitest';

/**
 * postgres.js 3.4.9 loses a pool connection for good when a query is cancelled while the connection
 * it would open is still connecting: the next query on a pool of one never settles. looplab cancels
 * abandoned queries, so a burst of clients hanging up at start-up used to wedge the whole async pool.
 * `patches/postgres+3.4.9.patch` (applied by `npm install` through patch-package) fixes it; this test
 * fails if the patch is lost, e.g. on an upgrade.
 */
it('keeps a pool connection usable after a query is cancelled while that connection opens', async () => {
  const sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
  try {
    const query = sql`select pg_sleep(0.3)`;
    const first = query.execute().then(
      () => 'finished',
      (err: { code?: string }) => err.code,
    );
    await new Promise((resolve) => setTimeout(resolve, 1)); // the connection is still being opened
    void query.cancel();
    expect(await first).toBe('57014');
    const second = sql<[{ one: number }]>`select 1 as one`.execute();
    const hung = new Promise((resolve) => setTimeout(resolve, 10_000, 'hung'));
    expect(await Promise.race([second.then((rows) => rows[0]?.one), hung])).toBe(1);
  } finally {
    await sql.end({ timeout: 1 });
  }
});
