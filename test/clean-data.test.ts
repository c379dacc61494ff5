import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';

const run = promisify(execFile);
let scratch = '';
afterEach(() => rm(scratch, { recursive: true, force: true }));

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

  const { stdout } = await run(process.execPath, [...typeScriptLoaderArgs(), resolve('scripts/clean-data.ts')], {
    cwd: join(scratch, 'project'),
  });

  expect(existsSync(stopped)).toBe(false);
  expect(existsSync(moved)).toBe(false);
  expect(existsSync(join(data, 'postgres-loadtest.location'))).toBe(false);
  expect(existsSync(held)).toBe(true);
  expect(stdout).toContain(`kept ${held}: PostgreSQL (pid ${process.pid}) is running on it`);
});
