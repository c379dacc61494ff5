/**
 * `npm run clean`: removes the embedded PostgreSQL data that looplab keeps between runs — `.looplab/`
 * and, for a root user in a private directory, the directories it was moved to (each named in a
 * `.location` file beside where it would have been). A data directory a running PostgreSQL holds is
 * left alone and named.
 */
import { dataPath } from '../lib/data-dir.ts';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

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

if (!existsSync(DATA)) {
  console.log('nothing to clean: .looplab/ does not exist');
} else {
  let kept = 0;
  for (const entry of await readdir(DATA, { withFileTypes: true })) {
    const path = join(DATA, entry.name);
    if (entry.isFile() && entry.name.endsWith('.location')) {
      const moved = (await readFile(path, 'utf8')).trim();
      if (moved && existsSync(moved) && !(await removeDataDir(moved))) {
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
