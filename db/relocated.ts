/**
 * Where a data directory goes when the `postgres` account cannot reach the one asked for (root in a
 * private directory, see `reachable.ts`), and how it is found again to be removed. Each relocated
 * directory is a folder of its own that names its owner — the data directory it stands in for, and so
 * the checkout it belongs to — in a marker file beside the cluster, so `npm run clean` can remove a
 * checkout's relocated data, and only that, even when its `.location` pointer is gone.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';

/**
 * A root-owned directory every account can enter but only root can change: the home of binaries and
 * data moved out of a directory the `postgres` account cannot enter. /var/tmp survives reboots.
 */
export const SHARED_ROOT = '/var/tmp/looplab';
/** The relocated data directories, one folder each (binaries sit beside this, in SHARED_ROOT). */
export const RELOCATED_ROOT = join(SHARED_ROOT, 'data');
/** The marker inside a relocated folder: one line, the absolute data directory it stands in for. */
const OWNER_FILE = 'owner';
/** The cluster itself, beside the marker (initdb wants a directory of its own, empty). */
const CLUSTER_DIR = 'pgdata';

/** A relocated folder, what it stands in for, and where its cluster is. */
export interface Relocation {
  readonly folder: string;
  readonly owner: string;
  readonly dataDir: string;
}

/** The folder that stands in for `requestedDataDir`: the same path always gives the same folder, so it is reused. */
export function relocationFor(requestedDataDir: string): Relocation {
  const owner = resolve(requestedDataDir);
  const id = createHash('sha256').update(owner).digest('hex').slice(0, 10);
  const folder = join(RELOCATED_ROOT, `${basename(owner)}-${id}`);
  return { folder, owner, dataDir: join(folder, CLUSTER_DIR) };
}

export const ownerFileOf = (relocation: Relocation) => join(relocation.folder, OWNER_FILE);

/** The pointer left where the user looks for the data, naming where it really is. */
export const pointerFor = (requestedDataDir: string) => `${resolve(requestedDataDir)}.location`;

/** Every relocated folder with a readable marker, on this machine. */
export async function listRelocations(root = RELOCATED_ROOT): Promise<Relocation[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const found: Relocation[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const folder = join(root, entry.name);
    const owner = (await readFile(join(folder, OWNER_FILE), 'utf8').catch(() => '')).trim();
    if (owner) found.push({ folder, owner, dataDir: join(folder, CLUSTER_DIR) });
  }
  return found;
}

/** Whether `owner` (a data directory) lies inside `dir`. */
export const isInside = (owner: string, dir: string) => resolve(owner).startsWith(resolve(dir) + sep);

/**
 * The folder a `.location` pointer leads to: the relocated folder when the pointer names its cluster
 * (this layout), or the named directory itself (the older layout, a cluster straight in SHARED_ROOT).
 */
export function folderOfPointerTarget(target: string): string {
  return existsSync(join(dirname(target), OWNER_FILE)) ? dirname(target) : target;
}

/**
 * Removes a data directory that is done with, whole: the directory asked for, its `.location` pointer,
 * and the folder it was relocated to. Its PostgreSQL must be stopped first.
 */
export async function removeDataDir(requestedDataDir: string): Promise<void> {
  const pointer = pointerFor(requestedDataDir);
  const target = (await readFile(pointer, 'utf8').catch(() => '')).trim();
  if (target) await rm(folderOfPointerTarget(target), { recursive: true, force: true });
  const relocation = relocationFor(requestedDataDir);
  if (existsSync(relocation.folder)) await rm(relocation.folder, { recursive: true, force: true });
  await rm(pointer, { force: true });
  await rm(resolve(requestedDataDir), { recursive: true, force: true });
}
