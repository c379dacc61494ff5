import { siblingFile } from '../lib/loader-args.ts';
import { startChild, type ManagedChild } from '../lib/child-process.ts';

export interface EmbeddedPostgresOptions {
  port: number;
  dataDir: string;
}

/**
 * Starts the embedded PostgreSQL (initialising its data directory on first use) in a child process,
 * and resolves once it accepts connections. `url` is a ready-to-use connection string.
 */
export function startEmbeddedPostgres({ port, dataDir }: EmbeddedPostgresOptions): Promise<ManagedChild> {
  return startChild(siblingFile(import.meta.url, './host.ts'), 'embedded PostgreSQL', {
    LOOPLAB_PG_PORT: String(port),
    LOOPLAB_PG_DATA_DIR: dataDir,
  });
}
