import postgres from 'postgres';
import { OverloadError } from '../overload.ts';

/** One row of the TechEmpower-style `world` table. */
export interface WorldRow {
  id: number;
  randomNumber: number;
}

/** Rows in the seeded table; ids run 1..WORLD_ROWS. */
export const WORLD_ROWS = 10_000;

export type Sql = postgres.Sql;

/** Reads World rows through a pool of its own; one instance per thread that queries. */
export interface WorldStore {
  /** One query; `sleepMs` > 0 adds a server-side `pg_sleep` to model a slow query. */
  findWorld(id: number, sleepMs: number): Promise<WorldRow>;
  /** A trivial round trip, for readiness checks. */
  ping(): Promise<void>;
  /** Queries sent and not yet answered (for the pool-in-use gauge). */
  readonly inFlight: number;
  readonly poolSize: number;
  close(timeoutSeconds?: number): Promise<void>;
}

/** Creates a postgres.js pool of `max` connections. Connections open lazily, on first use. */
export function createSql(databaseUrl: string, max: number): Sql {
  return postgres(databaseUrl, {
    max,
    connect_timeout: 5,
    idle_timeout: 30,
    onnotice: () => {},
  });
}

/**
 * Errors of a pooled connection that died (server restarted or connection cut) before or while the
 * query was sent. A read is safe to send again once on a fresh connection.
 */
const DEAD_CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03']);

const isDeadConnection = (err: unknown) => DEAD_CONNECTION_CODES.has(String((err as { code?: unknown }).code));

/**
 * @param maxWaiting queries that may wait for a connection beyond the pool size; one more is refused
 *   at once with OverloadError rather than queued without bound.
 */
export function createWorldStore(databaseUrl: string, poolSize: number, maxWaiting = Number.POSITIVE_INFINITY): WorldStore {
  const sql = createSql(databaseUrl, poolSize);
  let inFlight = 0;

  async function tracked<T>(send: () => Promise<T>): Promise<T> {
    if (inFlight >= poolSize + maxWaiting) throw new OverloadError('database pool');
    inFlight++;
    try {
      return await send().catch((err: unknown) => {
        if (!isDeadConnection(err)) throw err;
        return send();
      });
    } finally {
      inFlight--;
    }
  }

  return {
    async findWorld(id, sleepMs) {
      const rows =
        sleepMs > 0
          ? await tracked(() => sql<WorldRow[]>`
              select id, randomnumber as "randomNumber"
              from world, pg_sleep(${sleepMs / 1000}::float8)
              where id = ${id}`.execute())
          : await tracked(() => sql<WorldRow[]>`select id, randomnumber as "randomNumber" from world where id = ${id}`.execute());
      const row = rows[0];
      if (!row) throw new Error(`world row ${id} is missing: was the table seeded?`);
      return { id: row.id, randomNumber: row.randomNumber };
    },
    async ping() {
      await tracked(() => sql`select 1`.execute());
    },
    get inFlight() {
      return inFlight;
    },
    poolSize,
    close: (timeoutSeconds = 5) => sql.end({ timeout: timeoutSeconds }),
  };
}
