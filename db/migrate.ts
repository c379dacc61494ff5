import { fileURLToPath } from 'node:url';
import { createSql } from '../lib/postgres-sql.ts';

const sqlFile = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** Creates and seeds the World table; safe to run at every start, on any PostgreSQL. */
export async function migrate(databaseUrl: string): Promise<void> {
  const sql = createSql(databaseUrl, 1);
  try {
    await sql.file(sqlFile('./schema.sql'));
    await sql.file(sqlFile('./seed.sql'));
  } finally {
    await sql.end({ timeout: 5 });
  }
}
