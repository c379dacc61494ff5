import type { Duplex } from 'node:stream';
import postgres from 'postgres';
import { expect, inject, it } from 'vitest';
import { freePort } from '../lib/free-port.ts';
import { streamSocket } from './helpers/stream-socket.ts';

/**
 * Bugs of postgres.js 3.4.9, fixed by `patches/postgres+3.4.9.patch` (applied by `npm install`
 * through patch-package). Three are tested here and fail if the patch is lost (e.g. on an upgrade);
 * another, a stale error failing the first query on a reconnected socket, is covered by connections.test.ts.
 *
 * postgres.js 3.4.9 loses a pool connection for good when a query is cancelled while the connection
 * it would open is still connecting: the next query on a pool of one never settles. looplab cancels
 * abandoned queries, so a burst of clients hanging up at start-up used to wedge the whole async pool.
 */
it('keeps a pool connection usable after a query is cancelled while that connection opens', async () => {
  // The connection's socket is handed over only once the query is cancelled: the cancel lands while
  // the connection opens by construction, not because a timer happened to fire early enough.
  const { port, hostname } = new URL(inject('databaseUrl'));
  let asked!: () => void;
  const socketAsked = new Promise<void>((resolve) => {
    asked = resolve;
  });
  let handOver: () => void = () => {};
  const options: SocketOptions = {
    max: 1,
    onnotice: () => {},
    socket: () =>
      new Promise<Duplex>((resolve) => {
        handOver = () => resolve(streamSocket(Number(port), hostname));
        asked();
      }),
  };
  const sql = postgres(inject('databaseUrl'), options);
  try {
    const query = sql`select pg_sleep(0.3)`;
    const first = query.execute().then(
      () => 'finished',
      (err: { code?: string }) => err.code,
    );
    await socketAsked;
    void query.cancel();
    handOver();
    expect(await first).toBe('57014');
    const second = sql<[{ one: number }]>`select 1 as one`.execute();
    const hung = new Promise((resolve) => setTimeout(resolve, 10_000, 'hung'));
    expect(await Promise.race([second.then((rows) => rows[0]?.one), hung])).toBe(1);
  } finally {
    await sql.end({ timeout: 1 });
  }
});

/** `socket` is a real postgres.js option (src/index.js) that its type definitions leave out. */
type SocketOptions = postgres.Options<{}> & { socket: () => Duplex | Promise<Duplex> };

/**
 * postgres.js 3.4.9 batches small writes behind a `setImmediate` and schedules one only when none is
 * pending; a socket that closes before the batch is flushed cancels the immediate but leaves it
 * marked as pending (and the bytes buffered). The connection's next socket then never sends its
 * startup message: every query given to that pool slot waits for the connect timeout, again and
 * again. Seen in the fault run on a busy machine: after PostgreSQL was back, a query (and the circuit
 * breaker's probe, with every caller waiting on it) hung for the 5 s connect timeout. (Upstream:
 * LanternOps/breeze#3225; the fix nulls both on teardown.)
 */
it('sends the next query after a socket closed with a write still batched', async () => {
  const { port, hostname } = new URL(inject('databaseUrl'));
  const sockets: Duplex[] = [];
  const options: SocketOptions = {
    max: 1,
    connect_timeout: 5,
    onnotice: () => {},
    socket: () => {
      const socket = streamSocket(Number(port), hostname);
      sockets.push(socket);
      return socket;
    },
  };
  const sql = postgres(inject('databaseUrl'), options);
  try {
    expect((await sql<[{ one: number }]>`select 1 as one`)[0].one).toBe(1);
    const batched = sql`select 2`.execute().then(
      () => 'answered',
      (err: { code?: string }) => err.code,
    );
    // This immediate runs before the one the query's write queues (queued later, in the microtasks
    // that send it); the close it causes is handled before that one runs.
    await new Promise((resolve) => setImmediate(resolve));
    sockets.at(-1)?.destroy();
    expect(await batched).toBe('CONNECTION_CLOSED');
    const started = performance.now();
    const next = await sql<[{ one: number }]>`select 1 as one`.execute().then(
      (rows) => rows[0].one,
      (err: { code?: string }) => err.code,
    );
    expect(next, `after ${Math.round(performance.now() - started)} ms`).toBe(1);
    expect(sockets).toHaveLength(2);
  } finally {
    await sql.end({ timeout: 1 });
  }
}, 20_000);

/**
 * postgres.js 3.4.9 fetches the array types on every new connection and drops that query's promise:
 * when the connection dies during it and the reconnect is refused (PostgreSQL stopping), the failure
 * surfaces as an unhandled rejection and Node ends the process. Seen in the fault run: the server
 * exited when the database was stopped while its pool was still connecting. (Upstream:
 * porsager/postgres#1192, #1205.) The caller's query fails, and the process stays up.
 */
it('fails the query, not the process, when a connection dies while fetching array types', async () => {
  const { port, hostname } = new URL(inject('databaseUrl'));
  const refused = await freePort(); // nothing listens there: a stopped database
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  let connects = 0;
  const options: SocketOptions = {
    max: 1,
    onnotice: () => {},
    socket: () =>
      ++connects === 1
        ? streamSocket(Number(port), hostname, (chunk, socket) => {
            if (chunk.includes('pg_catalog.pg_type')) socket.destroy(); // cut during the array-type query
          })
        : streamSocket(refused, '127.0.0.1'),
  };
  const sql = postgres(inject('databaseUrl'), options);
  try {
    const first = await sql`select 1`.execute().then(
      () => 'answered',
      (err: { code?: string }) => err.code,
    );
    expect(first).toBe('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 100)); // unhandled rejections are reported a tick later
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', record);
    await sql.end({ timeout: 1 });
  }
}, 20_000);
