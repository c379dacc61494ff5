import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { makeTemplateCluster, TEMPLATE_VARIABLE } from '../db/template.ts';
import { startUpstream } from '../upstream/launch.ts';
import { freePort } from '../lib/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    upstreamUrl: string;
  }
}

/**
 * One real PostgreSQL and one real upstream for the whole run, each in its own process, as
 * `npm start` runs them. A test database directory keeps the tests off the `npm start` data.
 * One `initdb` for the run: every new data directory a test, a server or a harness run makes copies
 * this template instead (db/template.ts; the variable reaches them through the environment).
 */
export default async function setup(project: TestProject) {
  // The `unit` tier starts no process and reads no database: a run of it alone needs neither.
  if (project.vitest.projects.every((p) => p.name === 'unit')) return;
  const templateDir = await mkdtemp(join(tmpdir(), 'looplab-pg-template-'));
  const removeTemplate = () => rm(templateDir, { recursive: true, force: true });
  process.env[TEMPLATE_VARIABLE] = await makeTemplateCluster(templateDir).catch(async (err: unknown) => {
    await removeTemplate();
    throw err;
  });
  const pg = await startEmbeddedPostgres({ port: await freePort(), dataDir: resolve('.looplab/postgres-test') }).catch(
    async (err: unknown) => {
      await removeTemplate();
      throw err;
    },
  );
  const upstream = await startUpstream(0, '127.0.0.1').catch(async (err: unknown) => {
    await pg.stop();
    await removeTemplate();
    throw err;
  });
  await migrate(pg.url);
  project.provide('databaseUrl', pg.url);
  project.provide('upstreamUrl', upstream.url);
  return async function teardown() {
    await upstream.stop();
    await pg.stop();
    await removeTemplate();
  };
}
