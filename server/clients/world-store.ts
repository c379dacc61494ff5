import {
  BrokenCircuitError,
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  ConstantBackoff,
  handleWhen,
} from 'cockatiel';
import type { ErrorCode } from '../../lib/error-codes.ts';
import type postgres from 'postgres';
import { offAbort, onAbort } from '../../lib/abort-hook.ts';
import { createSql, type Sql } from '../../lib/postgres-sql.ts';
import { OverloadError } from '../protection/overload.ts';

/** One row of the TechEmpower-style `world` table. */
export interface WorldRow {
  id: number;
  randomNumber: number;
}

/** Rows in the seeded table; ids run 1..WORLD_ROWS. */
export const WORLD_ROWS = 10_000;

export { createSql, type Sql };

/** Reads World rows through a pool of its own; one instance per thread that queries. */
export interface WorldStore {
  /**
   * One query; `sleepMs` > 0 adds a server-side `pg_sleep` to model a slow query. When `signal` aborts,
   * the query is cancelled: taken off the queue, or stopped on the server by a cancel request.
   */
  findWorld(id: number, sleepMs: number, signal?: AbortSignal): Promise<WorldRow>;
  /** A trivial round trip, for readiness checks. */
  ping(): Promise<void>;
  /** Queries sent and not yet answered (for the pool-in-use gauge). */
  readonly inFlight: number;
  readonly poolSize: number;
  close(timeoutSeconds?: number): Promise<void>;
}

/**
 * PostgreSQL's cancel request stops whatever the connection's backend is running when it arrives: a
 * cancel meant for an abandoned query that finished just before it arrived lands on the next query
 * on that connection, a neighbour's. Such a query failed through no fault of its own or of the
 * database, so it is sent again — a read is safe to repeat — a bounded number of times.
 */
const COLLATERAL_CANCEL_RETRIES = 3;

/** Cancelled "due to user request" although this query's own caller did not ask: another's cancel hit it. */
const cancelledByAnother = (err: unknown, signal: AbortSignal | undefined) =>
  (err as { code?: unknown }).code === '57014' &&
  !signal?.aborted &&
  String((err as Error).message).includes('user request');

/**
 * Errors of a pooled connection that died (server restarted or connection cut) before or while the
 * query was sent. A read is safe to send again once on a fresh connection.
 */
const DEAD_CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'ECONNRESET',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
]);

const isDeadConnection = (err: unknown) => DEAD_CONNECTION_CODES.has(String((err as { code?: unknown }).code));

/** Errors that mean the database cannot be reached at all (as opposed to a failing query). */
const UNREACHABLE_CODES = new Set([
  ...DEAD_CONNECTION_CODES,
  'ECONNREFUSED',
  'CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const isUnreachable = (err: unknown) => UNREACHABLE_CODES.has(String((err as { code?: unknown }).code));

/** After the database was found unreachable, how long queries are refused before one probe is let through. */
const PROBE_INTERVAL_MS = 250;

/** The database was recently unreachable: refused at once, without queueing behind reconnect attempts. */
export class DbUnavailableError extends Error {
  override name = 'DbUnavailableError';
  readonly code = 'DB_UNAVAILABLE' satisfies ErrorCode;
  constructor() {
    super('the database was unreachable moments ago');
  }
}

/**
 * @param maxWaiting queries that may wait for a connection beyond the pool size; one more is refused
 *   at once with OverloadError rather than queued without bound.
 */
export function createWorldStore(
  databaseUrl: string,
  poolSize: number,
  maxWaiting = Number.POSITIVE_INFINITY,
): WorldStore {
  const sql = createSql(databaseUrl, poolSize);
  let inFlight = 0;
  // A circuit breaker (cockatiel). While the database is unreachable, postgres.js queues queries
  // behind its reconnect attempts, and under load that queue grows into seconds of waiting. Instead,
  // once a query finds the database unreachable, others are refused at once for PROBE_INTERVAL_MS;
  // then one probe goes through while the others wait for its outcome (cockatiel's half-open state),
  // and the circuit closes when it succeeds or opens again when it does not.
  const breaker = circuitBreaker(handleWhen(isUnreachable), {
    halfOpenAfter: new ConstantBackoff(PROBE_INTERVAL_MS),
    breaker: new ConsecutiveBreaker(1),
  });

  /**
   * Sends the query `make` builds, counted in flight, cancelled (taken off the queue, or stopped on the
   * server) if `signal` aborts first, and sent again where that is safe: up to
   * {@link COLLATERAL_CANCEL_RETRIES} times after another request's cancel hit it, and once more, on a
   * fresh connection, after its pooled connection died (a restarted server, pg_terminate_backend, a cut
   * link; postgres.js 3.4.9 used to fail that retry with the dead socket's last error,
   * patches/postgres+3.4.9.patch resets it on reconnect). The collateral count starts over after that.
   *
   * One loop rather than a wrapper per rule: each wrapper was an async function and a closure per
   * query, which a profile of `/db/async?queries=1` under load (and its allocations) showed beside the
   * query's own cost. `viaBreaker`: sent by cockatiel's half-open probe, which hears the outcome itself.
   */
  async function send<T extends readonly postgres.MaybeRow[]>(
    make: () => postgres.PendingQuery<T>,
    signal: AbortSignal | undefined,
    viaBreaker: boolean,
  ): Promise<postgres.RowList<T>> {
    inFlight++;
    let collateral = 0;
    let reconnected = false;
    try {
      for (;;) {
        const query = make();
        const cancel = () => void query.cancel();
        if (signal) onAbort(signal, cancel);
        try {
          return await query.execute();
        } catch (err) {
          if (collateral < COLLATERAL_CANCEL_RETRIES && cancelledByAnother(err, signal)) collateral++;
          else if (!reconnected && isDeadConnection(err)) {
            reconnected = true;
            collateral = 0;
          } else throw err;
        } finally {
          if (signal) offAbort(signal, cancel);
        }
      }
    } catch (err) {
      // A closed circuit's query skipped the breaker (below): an unreachable database must still open it,
      // as cockatiel's execute would have (a consecutive breaker of 1 learns nothing from a success).
      if (!viaBreaker && isUnreachable(err) && breaker.state === CircuitState.Closed)
        await breaker.execute(() => Promise.reject(err)).catch(() => {});
      throw err;
    } finally {
      inFlight--;
    }
  }

  /**
   * {@link send}, refused at once when too many queries wait or the circuit is open. While the circuit
   * is closed (always, but for moments of an outage) the query goes straight out: cockatiel's execute is
   * two async functions and two objects per query for a decision already known.
   */
  function tracked<T extends readonly postgres.MaybeRow[]>(
    make: () => postgres.PendingQuery<T>,
    signal: AbortSignal | undefined,
  ): Promise<postgres.RowList<T>> {
    if (inFlight >= poolSize + maxWaiting) return Promise.reject(new OverloadError('database pool'));
    if (breaker.state === CircuitState.Closed) return send(make, signal, false);
    return breaker
      .execute(() => send(make, signal, true))
      .catch((err: unknown) => {
        throw err instanceof BrokenCircuitError ? new DbUnavailableError() : err;
      });
  }

  return {
    // A plain function returning the query's promise: an async function of its own was one more frame
    // per query in the heap profile of `/db/async` (an aborted signal still rejects, never throws).
    findWorld(id, sleepMs, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const query = () =>
        sleepMs > 0
          ? sql<WorldRow[]>`
              select id, randomnumber as "randomNumber"
              from world, pg_sleep(${sleepMs / 1000}::float8)
              where id = ${id}`
          : sql<WorldRow[]>`select id, randomnumber as "randomNumber" from world where id = ${id}`;
      return tracked(query, signal).then((rows) => {
        const row = rows[0];
        if (!row) throw new Error(`world row ${id} is missing: was the table seeded?`);
        return { id: row.id, randomNumber: row.randomNumber };
      });
    },
    async ping() {
      await tracked(() => sql`select 1`, undefined);
    },
    get inFlight() {
      return inFlight;
    },
    poolSize,
    close: (timeoutSeconds = 5) => sql.end({ timeout: timeoutSeconds }),
  };
}
