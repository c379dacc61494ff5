import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { ownerFileOf, relocationFor, removeDataDir, type Relocation } from '../db/relocated.ts';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
let scratch = '';
let relocations: Relocation[] = [];
afterEach(async () => {
  for (const relocation of relocations) await rm(relocation.folder, { recursive: true, force: true });
  relocations = [];
  await rm(scratch, { recursive: true, force: true });
});

const clean = (cwd: string) =>
  run(process.execPath, [...typeScriptLoaderArgs(), resolve('scripts/clean-data.ts')], { cwd });

/** A relocated folder for `owner`, as db/reachable.ts makes one (marker, cluster), in the real shared root. */
async function relocated(owner: string, pid?: number): Promise<Relocation> {
  const relocation = relocationFor(owner);
  relocations.push(relocation);
  await mkdir(relocation.dataDir, { recursive: true });
  await writeFile(ownerFileOf(relocation), `${relocation.owner}\n`);
  if (pid) await writeFile(join(relocation.dataDir, 'postmaster.pid'), `${pid}\n`);
  return relocation;
}

it('npm run clean removes stopped data directories and moved ones, and keeps one a live PostgreSQL holds', async () => {
  scratch = await mkdtemp(join(tmpdir(), 'looplab-clean-'));
  const data = join(scratch, 'project', '.looplab');
  const stopped = join(data, 'postgres');
  const held = join(data, 'postgres-test');
  const moved = join(scratch, 'elsewhere', 'postgres-1234567890');
  await mkdir(stopped, { recursive: true });
  await mkdir(held, { recursive: true });
  await mkdir(moved, { recursive: true });
  // A stale pid file (pid 2^22 + 1 is above Linux's pid limit, so no process has it) and a live one.
  await writeFile(join(stopped, 'postmaster.pid'), `${2 ** 22 + 1}\n`);
  await writeFile(join(held, 'postmaster.pid'), `${process.pid}\n`);
  await writeFile(join(data, 'postgres-loadtest.location'), `${moved}\n`);

  const { stdout } = await clean(join(scratch, 'project'));

  expect(existsSync(stopped)).toBe(false);
  expect(existsSync(moved)).toBe(false);
  expect(existsSync(join(data, 'postgres-loadtest.location'))).toBe(false);
  expect(existsSync(held)).toBe(true);
  expect(stdout).toContain(`kept ${held}: PostgreSQL (pid ${process.pid}) is running on it`);
});

// Relocation happens only for root (db/reachable.ts), into a root-owned /var/tmp/looplab.
it.skipIf(!isRoot)(
  "npm run clean removes this checkout's relocated folders by their markers, pointer or no pointer, and no one else's",
  async () => {
    scratch = await mkdtemp(join(tmpdir(), 'looplab-clean-'));
    const data = join(scratch, 'project', '.looplab');
    await mkdir(data, { recursive: true });
    const withPointer = await relocated(join(data, 'postgres'));
    await writeFile(join(data, 'postgres.location'), `${withPointer.dataDir}\n`);
    // Its pointer was lost (the throw-away directory of targets.test.ts once left only this behind).
    const pointerless = await relocated(join(data, 'postgres-loadtest-AbC123'));
    const held = await relocated(join(data, 'postgres-test'), process.pid);
    // Another checkout whose path starts like this one's.
    const neighbour = await relocated(join(scratch, 'project-2', '.looplab', 'postgres'));

    const { stdout } = await clean(join(scratch, 'project'));

    expect(existsSync(withPointer.folder)).toBe(false);
    expect(existsSync(join(data, 'postgres.location'))).toBe(false);
    expect(existsSync(pointerless.folder)).toBe(false);
    expect(existsSync(held.dataDir)).toBe(true);
    expect(stdout).toContain(`kept ${held.dataDir}: PostgreSQL (pid ${process.pid}) is running on it`);
    expect(existsSync(neighbour.dataDir)).toBe(true);
  },
);

it.skipIf(!isRoot)(
  'removing a throw-away data directory takes its pointer and its relocated folder with it',
  async () => {
    scratch = await mkdtemp(join(tmpdir(), 'looplab-clean-'));
    const requested = join(scratch, 'project', '.looplab', 'postgres-loadtest-XyZ789');
    await mkdir(requested, { recursive: true });
    const relocation = await relocated(requested);
    await writeFile(`${requested}.location`, `${relocation.dataDir}\n`);

    await removeDataDir(requested);

    expect(existsSync(requested)).toBe(false);
    expect(existsSync(`${requested}.location`)).toBe(false);
    expect(existsSync(relocation.folder)).toBe(false);
  },
);
