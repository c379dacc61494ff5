/**
 * A cluster initialised once and copied wherever a new one is needed: `initdb` takes seconds, a copy of
 * its result a fraction of that. The test suite makes one per run (test/global-setup.ts) and names it
 * in LOOPLAB_PG_TEMPLATE, which db/host.ts reads; without it every new data directory runs `initdb`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from './embedded-url.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';
import { initialiseCluster, isInitialised } from './postgres-cluster.ts';
import { postgresRunAs } from './postgres-user.ts';
import { reachablePaths } from './reachable.ts';

const run = promisify(execFile);

/** The variable db/host.ts reads: an initialised cluster to copy instead of running `initdb`. */
export const TEMPLATE_VARIABLE = 'LOOPLAB_PG_TEMPLATE';

/** Runs `initdb` in `dir` (made reachable for the `postgres` account when root) and returns the cluster's path. */
export async function makeTemplateCluster(dir: string): Promise<string> {
  const runAs = await postgresRunAs();
  const { binRoot, dataDir } = await reachablePaths(await findPostgresBinaries(), dir, runAs);
  await initialiseCluster({
    binRoot,
    dataDir,
    port: 0,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    runAs,
    settings: {},
  });
  return dataDir;
}

/**
 * Fills the empty `dataDir` with a copy of `template`. `cp -a` keeps each file's owner and mode, so
 * a template made as the `postgres` account stays that account's (Node's own copy would make it root's).
 * Returns false, copying nothing, when `template` is not an initialised cluster.
 */
export async function copyTemplateCluster(template: string, dataDir: string): Promise<boolean> {
  if (!isInitialised(template)) return false;
  await run('cp', ['-a', `${template}/.`, `${dataDir}/`]);
  return true;
}
