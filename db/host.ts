/**
 * Runs an embedded PostgreSQL in a process of its own, started by `npm start`, the tests and the
 * load harness: the server's own signal handling and shutdown order stay its own, and a server that
 * dies takes its database with it (this process stops PostgreSQL when the IPC channel closes).
 */
import { failToParent, serveParent } from '../lib/child-process.ts';
import { EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedUrl } from './embedded-url.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';
import { ClusterError, initialiseCluster, isInitialised, startCluster } from './postgres-cluster.ts';
import { postgresRunAs } from './postgres-user.ts';
import { reachablePaths } from './reachable.ts';
import { copyTemplateCluster, TEMPLATE_VARIABLE } from './template.ts';

const requestedDataDir = process.env['LOOPLAB_PG_DATA_DIR'];
const port = Number(process.env['LOOPLAB_PG_PORT']);
/** Set by the test suite: an initialised cluster to copy instead of running initdb (db/template.ts). */
const template = process.env[TEMPLATE_VARIABLE];
if (!requestedDataDir || !Number.isInteger(port)) {
  console.error('db/host.ts is started by the server; it needs LOOPLAB_PG_DATA_DIR and LOOPLAB_PG_PORT');
  process.exit(2);
}

try {
  const runAs = await postgresRunAs();
  const { binRoot, dataDir, notes } = await reachablePaths(await findPostgresBinaries(), requestedDataDir, runAs);
  for (const note of notes) console.log(`looplab: ${note}`);
  const options = {
    binRoot,
    dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    runAs,
    settings: {
      listen_addresses: '127.0.0.1',
      // TCP only: a socket path under the data directory could exceed the 107-byte limit in deep clones.
      unix_socket_directories: '',
      // Tests run several servers at once, each with an async pool, a pool per worker and a sync client.
      max_connections: '300',
    },
  };
  if (!isInitialised(dataDir) && !(template && (await copyTemplateCluster(template, dataDir))))
    await initialiseCluster(options);
  const cluster = await startCluster(options);
  // Orphaned, it waits past stop()'s own escalation (SIGQUIT after 10 s) before it exits anyway: exiting
  // first would leave PostgreSQL itself running with no one to stop it.
  serveParent(embeddedUrl(port), () => cluster.stop(), 15_000);
} catch (err) {
  // A ClusterError is already one actionable line; anything else keeps its message.
  failToParent(err instanceof ClusterError || err instanceof Error ? err.message : String(err));
}
