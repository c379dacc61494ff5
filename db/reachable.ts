import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { PostgresBinaries } from './postgres-binaries.ts';
import { canReach, type RunAs } from './postgres-user.ts';
import { ownerFileOf, pointerFor, RELOCATED_ROOT, relocationFor, SHARED_ROOT } from './relocated.ts';

/** Where a cluster's binaries and data live, and what had to be moved for its account to reach them. */
export interface ClusterPaths {
  readonly binRoot: string;
  readonly dataDir: string;
  /** One line per relocation, to tell the user where things are. */
  readonly notes: string[];
}

async function ensureSharedRoot(): Promise<string> {
  await mkdir(SHARED_ROOT, { recursive: true, mode: 0o755 });
  const info = await lstat(SHARED_ROOT);
  // Refuse a directory someone else could have prepared: binaries run from it.
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw new Error(
      `${SHARED_ROOT} must be a directory owned by root and writable only by root; remove it or fix its owner and mode`,
    );
  }
  await chmod(SHARED_ROOT, 0o755);
  return SHARED_ROOT;
}

/** Copies the binaries once per version; concurrent starts each copy aside and the first rename wins. */
async function copyBinaries(binaries: PostgresBinaries, sharedRoot: string): Promise<string> {
  const target = join(sharedRoot, `postgres-${binaries.version}-${process.platform}-${process.arch}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  const staging = `${target}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await cp(binaries.root, staging, { recursive: true, verbatimSymlinks: true });
  await chmod(staging, 0o755);
  await rename(staging, target).catch(async (err: unknown) => {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw err;
  });
  return target;
}

/**
 * As root, PostgreSQL runs as `account`, which must reach its binaries and its data directory. A clone
 * in a private directory (a 0700 root home, the default in most containers) is out of its reach: then
 * the binaries are copied to, and the data kept in, a shared root-owned directory instead, and the
 * notes say so. The data directory itself is handed to `account`.
 */
export async function reachablePaths(
  binaries: PostgresBinaries,
  requestedDataDir: string,
  account: RunAs | undefined,
): Promise<ClusterPaths> {
  const notes: string[] = [];
  let dataDir = resolve(requestedDataDir);
  if (!account) return { binRoot: binaries.root, dataDir, notes };

  let binRoot = binaries.root;
  if (!(await canReach(join(binRoot, 'bin', 'postgres'), account))) {
    binRoot = await copyBinaries(binaries, await ensureSharedRoot());
    notes.push(
      `the '${account.name}' account cannot reach ${binaries.root}; running PostgreSQL from a copy in ${binRoot}`,
    );
  }
  await mkdir(dirname(dataDir), { recursive: true });
  if (!(await canReach(dirname(dataDir), account))) {
    await ensureSharedRoot();
    await mkdir(RELOCATED_ROOT, { mode: 0o755 }).catch(() => {});
    const relocation = relocationFor(dataDir);
    notes.push(
      `the '${account.name}' account cannot reach ${dataDir}; keeping the PostgreSQL data in ${relocation.dataDir} instead`,
    );
    await mkdir(relocation.folder, { recursive: true, mode: 0o755 });
    // The marker first: a folder is never without its owner, so `npm run clean` can always place it.
    await writeFile(ownerFileOf(relocation), `${relocation.owner}\n`);
    // Leave a pointer where the user looks for the data.
    await writeFile(pointerFor(requestedDataDir), `${relocation.dataDir}\n`).catch(() => {});
    dataDir = relocation.dataDir;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chown(dataDir, account.uid, account.gid);
  return { binRoot, dataDir, notes };
}
