import { readFileSync } from 'node:fs';
import { createSql, type Sql } from '../../server/clients/world-store.ts';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) a process has used so far, in ms. Linux only. */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** A connection of the test's own to the database, to look at what the server does there. */
export function databaseObserver(databaseUrl: string): {
  sleepingQueries(): Promise<number>;
  sql: Sql;
  close(): Promise<void>;
} {
  const sql = createSql(databaseUrl, 1);
  return {
    sql,
    /** Queries running a `pg_sleep` right now, other than this observer's own. */
    async sleepingQueries() {
      const [row] =
        await sql`select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%pg_sleep%' and pid <> pg_backend_pid()`;
      return Number(row?.['n']);
    },
    close: () => sql.end(),
  };
}
