import { createSql } from '../../lib/postgres-sql.ts';
import type { Config } from '../config.ts';

/** What the database allows, read from the server itself. */
export interface ConnectionLimit {
  maxConnections: number;
  /** Slots only superusers may use: superuser_reserved_connections + reserved_connections (PG 16+). */
  reserved: number;
  /** Client connections other than ours open right now (other servers, psql, a harness's observer). */
  inUse: number;
}

export async function readConnectionLimit(databaseUrl: string): Promise<ConnectionLimit> {
  const sql = createSql(databaseUrl, 1);
  try {
    const [row] = await sql<{ max: number; reserved: number; in_use: number }[]>`
      SELECT current_setting('max_connections')::int AS max,
             current_setting('superuser_reserved_connections')::int
               + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved,
             (SELECT count(*)::int FROM pg_stat_activity
               WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()) AS in_use`;
    if (!row) throw new Error('the database did not report max_connections');
    return { maxConnections: row.max, reserved: row.reserved, inUse: row.in_use };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

type PoolConfig = Pick<Config, 'cluster' | 'dbPool' | 'workers' | 'workerDbPool'>;

/**
 * Connections one server process may open at most: its async pool, one pool per worker thread, and
 * the blocking mode's helper thread (one connection).
 */
export const connectionsPerProcess = (c: PoolConfig) => c.dbPool + c.workers * c.workerDbPool + 1;

/**
 * Why the pools of every process could not all be open at once, in one line naming the variables
 * to change; undefined when they fit. postgres.js opens connections on demand, so this is the worst
 * case: the load that fills every pool is exactly when "too many clients" would fail requests.
 */
export function connectionShortfall(c: PoolConfig, limit: ConnectionLimit): string | undefined {
  const needed = c.cluster * connectionsPerProcess(c);
  const available = limit.maxConnections - limit.reserved - limit.inUse;
  if (needed <= available) return undefined;
  return (
    `CLUSTER=${c.cluster} × (DB_POOL ${c.dbPool} + WORKERS ${c.workers} × WORKER_DB_POOL ${c.workerDbPool} + 1 for blocking mode) = ${needed} connections, ` +
    `but the database allows ${available} (max_connections ${limit.maxConnections} − ${limit.reserved} reserved for superusers − ${limit.inUse} in use); ` +
    'lower CLUSTER, DB_POOL, WORKERS or WORKER_DB_POOL, or raise max_connections'
  );
}
