import { expect, it } from 'vitest';
import { referenceSql } from '../../bench/reference/reference-sql.ts';
import { CONFIG_VARIABLES } from '../../lib/config-spec.ts';
import { createSql, type Sql } from '../../lib/postgres-sql.ts';

/** The postgres.js settings that shape how queries reach the database (max_pipeline is untyped). */
const settings = (sql: Sql) => {
  const o = sql.options as typeof sql.options & { max_pipeline: number };
  return { max: o.max, max_pipeline: o.max_pipeline, prepare: o.prepare };
};

// No query is sent: postgres.js connects on first use, so an address that answers nothing will do.
const URL = 'postgres://nobody@127.0.0.1:1/none';

it("gives the bench's bare reference looplab's own postgres.js settings: pool size, pipelining, prepare", async () => {
  const reference = referenceSql(URL);
  const looplab = createSql(URL, CONFIG_VARIABLES.DB_POOL.default);
  try {
    expect(settings(reference)).toEqual(settings(looplab));
    expect(settings(reference)).toEqual({ max: 10, max_pipeline: 1, prepare: true });
  } finally {
    await Promise.all([reference.end({ timeout: 0 }), looplab.end({ timeout: 0 })]);
  }
});
