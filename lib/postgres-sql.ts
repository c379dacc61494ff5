import postgres from 'postgres';

export type Sql = postgres.Sql;

/** How often PostgreSQL checks, while a query runs, that its client is still connected. */
const CLIENT_CHECK_INTERVAL_MS = 1_000;

/** Longest pause between reconnect attempts to a database that went away, in seconds. */
const MAX_RECONNECT_BACKOFF_S = 0.5;

/**
 * Creates a postgres.js pool of `max` connections. Connections open lazily, on first use.
 *
 * postgres.js waits up to 20 s between reconnect attempts after repeated failures (its default
 * backoff grows as 3^n / 100 s), and queries queue behind that wait: a database outage would turn into
 * requests hanging for seconds. Capping the backoff keeps failures fast (a refused connect answers in
 * milliseconds) and recovery quick once the database is back.
 */
export function createSql(databaseUrl: string, max: number): Sql {
  // `max_pipeline` is a real postgres.js option (src/index.js) that its type definitions leave out.
  const options: postgres.Options<{}> & { max_pipeline: number } = {
    max,
    // One query per connection at a time. PostgreSQL's cancel request stops whatever the backend runs
    // when it arrives; with several queries pipelined on a connection, cancelling an abandoned one
    // would stop a neighbour's, and the abandoned one would run on. Waiting queries stay in
    // postgres.js's own queue, where cancelling one just removes it. Its cost against a pipelining
    // pool was measured once (docs/lab-notes/2026-11-25-bench.md); the bench's bare reference now uses
    // this same client (bench/reference/reference-sql.ts), so its comparison leaves this choice out.
    max_pipeline: 1,
    connect_timeout: 5,
    idle_timeout: 30,
    backoff: (retries: number) => Math.min(MAX_RECONNECT_BACKOFF_S, 0.05 * 2 ** retries) * (0.5 + Math.random() / 2),
    onnotice: () => {},
    connection: {
      // PostgreSQL notices a client that went away only when it next writes to it; a query abandoned by
      // a terminated worker thread would run on to its end. This makes the server check every second
      // while a query runs (PostgreSQL 14+).
      client_connection_check_interval: CLIENT_CHECK_INTERVAL_MS,
    },
  };
  return postgres(databaseUrl, options);
}
