import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { TEMPLATE_VARIABLE } from '../db/template.ts';
import type { ManagedChild } from '../lib/child-process.ts';
import { freePort } from '../lib/free-port.ts';

/**
 * The run's one `initdb` (test/global-setup.ts): a new data directory starts as a copy of the template,
 * and the copy is a working cluster with the embedded credentials.
 */
let pg: ManagedChild | undefined;
let dataDir = '';
const probe = join(process.env[TEMPLATE_VARIABLE] ?? '', 'looplab-template-probe');
afterEach(async () => {
  await pg?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(probe, { force: true });
});

it('starts a new data directory from a copy of the template instead of running initdb', async () => {
  expect(process.env[TEMPLATE_VARIABLE], 'test/global-setup.ts names the template').toBeTruthy();
  // A file only the template has: found in the new directory, it was copied, not made by initdb.
  await writeFile(probe, 'copied\n');
  dataDir = await mkdtemp(join(tmpdir(), 'looplab-from-template-'));
  pg = await startEmbeddedPostgres({ port: await freePort(), dataDir });
  expect(existsSync(join(dataDir, 'looplab-template-probe'))).toBe(true);
  const sql = postgres(pg.url, { max: 1 });
  try {
    expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
  } finally {
    await sql.end();
  }
});
