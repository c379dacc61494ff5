/**
 * `npm run clean`: removes the embedded PostgreSQL data that looplab keeps between runs — `.looplab/`
 * and, for a root user in a private directory, the directories it was moved to: those named in a
 * `.location` file beside where they would have been, and every relocated folder whose marker names a
 * directory in this checkout's `.looplab/`, pointer or no pointer (another checkout's are left alone). A
 * data directory a running PostgreSQL holds is left alone and named.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dataPath } from '../lib/data-dir.ts';
import { folderOfPointerTarget, isInside, listRelocations } from '../db/relocated.ts';

const DATA = dataPath();

/** The pid in a data directory's postmaster.pid, if that process is alive. */
async function livePostmaster(dataDir: string): Promise<number | undefined> {
  const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function removeDataDir(dir: string): Promise<boolean> {
  const pid = await livePostmaster(dir);
  if (pid) {
    console.log(`kept ${dir}: PostgreSQL (pid ${pid}) is running on it; stop looplab first`);
    return false;
  }
  await rm(dir, { recursive: true, force: true });
  console.log(`removed ${dir}`);
  return true;
}

/** Removes a relocated folder (its marker and its cluster) unless a running PostgreSQL holds the cluster. */
async function removeFolder(folder: string, cluster: string): Promise<boolean> {
  if (folder === cluster) return removeDataDir(folder);
  if (!(await removeDataDir(cluster))) return false;
  await rm(folder, { recursive: true, force: true });
  return true;
}

let kept = 0;
// This checkout's relocated folders, found by their markers: also those whose pointer is gone.
for (const relocation of await listRelocations()) {
  if (isInside(relocation.owner, DATA) && !(await removeFolder(relocation.folder, relocation.dataDir))) kept++;
}

if (!existsSync(DATA)) {
  if (kept === 0) console.log('nothing to clean: .looplab/ does not exist');
} else {
  for (const entry of await readdir(DATA, { withFileTypes: true })) {
    const path = join(DATA, entry.name);
    if (entry.isFile() && entry.name.endsWith('.location')) {
      const moved = (await readFile(path, 'utf8')).trim();
      if (moved && existsSync(moved) && !(await removeFolder(folderOfPointerTarget(moved), moved))) {
        kept++;
        continue;
      }
      await rm(path, { force: true });
    } else if (entry.isDirectory()) {
      if (!(await removeDataDir(path))) kept++;
    } else {
      await rm(path, { force: true });
    }
  }
  if (kept === 0) await rm(DATA, { recursive: true, force: true });
}
