import type { TestProject } from 'vitest/node';
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
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
 */
export default async function setup(project: TestProject) {
  const pg = await startEmbeddedPostgres({ port: await freePort(), dataDir: resolve('.looplab/postgres-test') });
  const upstream = await startUpstream(0, '127.0.0.1').catch(async (err: unknown) => {
    await pg.stop();
    throw err;
  });
  await migrate(pg.url);
  project.provide('databaseUrl', pg.url);
  project.provide('upstreamUrl', upstream.url);
  return async function teardown() {
    await upstream.stop();
    await pg.stop();
  };
}
