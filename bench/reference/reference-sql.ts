import { CONFIG_VARIABLES } from '../../lib/config-spec.ts';
import { createSql, type Sql } from '../../lib/postgres-sql.ts';

/** The reference's pool size: looplab's default `DB_POOL`, the pool its server runs with in the bench. */
export const REFERENCE_POOL = CONFIG_VARIABLES.DB_POOL.default;

/**
 * The bare reference's postgres.js client: looplab's own (`createSql`), so both servers send their
 * queries the same way — the same pool size, one query per connection at a time (`max_pipeline: 1`),
 * prepared statements as postgres.js's default. With postgres.js's default pipelining the reference
 * queued queries on busy connections while looplab's waited for a free one, and `/db/async?queries=1`
 * compared two client settings instead of the framework's cost (the 2026-12-07 bench note).
 */
export function referenceSql(databaseUrl: string): Sql {
  return createSql(databaseUrl, REFERENCE_POOL);
}
