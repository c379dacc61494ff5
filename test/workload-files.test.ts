import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { loadWorkloads, WorkloadFileError } from '../server/workloads/load.ts';

const MAIN = resolve('server/main.ts');
let dir = '';
beforeAll(async () => {
  // Outside the repository, as a user's own files would be.
  dir = await mkdtemp(join(tmpdir(), 'looplab-workload-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `files` into the temp dir and runs `server/main.ts` with them as WORKLOADS, to its end. */
async function startWith(
  files: Record<string, string>,
): Promise<{ code: number | null; output: string; pgDir: string }> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const pgDir = join(dir, `pg-${Object.keys(files).join('-')}`);
  const env = {
    ...process.env,
    WORKLOADS: Object.keys(files)
      .map((f) => `./${f}`)
      .join(','),
    INIT_CWD: dir, // relative paths are the user's: resolved where they typed the command
    PORT: '0',
    UPSTREAM_PORT: '0',
    PG_PORT: '1',
    PG_DATA_DIR: pgDir,
    DATABASE_URL: '',
    UPSTREAM_URL: '',
  };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [...typeScriptLoaderArgs(), MAIN],
      { cwd: dir, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: stdout + stderr, pgDir });
      },
    );
  });
}

const good = (over: string) =>
  `export default { name: 'mine', summary: 'my work', params: {}, blocking: () => ({ ok: true }), ${over} };\n`;

/** Writes `files` into the temp dir and loads them as the server does first, in-process (loadWorkloads). */
async function refusalOf(files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  try {
    await loadWorkloads(Object.keys(files).map((f) => join(dir, f)));
  } catch (err) {
    if (err instanceof WorkloadFileError) return err.message;
    throw err;
  }
  throw new Error(`${Object.keys(files).join(', ')} loaded`);
}

// Each file's sentence, from the loader the server runs before it starts anything (server/workloads/load.ts);
// that the server prints it as its only line and exits 1 is shown once, with a real start-up, below.
describe('a WORKLOADS file that cannot be used stops start-up with one line naming the file and the field', () => {
  it.each([
    [
      'no default export',
      { 'a.ts': 'export const work = () => 1;\n' },
      'a.ts: default export: missing: the file must `export default` a workload definition',
    ],
    [
      'a default export that is not an object',
      { 'b.ts': 'export default 42;\n' },
      'b.ts: default export: must be an object (a workload definition), got number',
    ],
    [
      'no name',
      { 'c.ts': "export default { summary: 's', params: {}, blocking: () => ({}) };\n" },
      'c.ts: name: must be 1-40 lowercase letters, digits or dashes starting with a letter (it is a path segment), got undefined',
    ],
    [
      'a name that is not a path segment',
      { 'd.ts': good("name: 'My Work'") },
      'd.ts: name: must be 1-40 lowercase letters, digits or dashes starting with a letter (it is a path segment), got "My Work"',
    ],
    [
      'no form',
      { 'e.ts': "export default { name: 'e', summary: 's', params: {} };\n" },
      'e.ts: blocking/async/inWorker: no form given',
    ],
    ['a form that is not a function', { 'f.ts': good("async: 'soon'") }, 'f.ts: async: must be a function, got string'],
    [
      'a parameter without a range',
      { 'g.ts': good("params: { n: { kind: 'int', default: 3 } }") },
      'g.ts: params.n.min/max: must be whole numbers with 0 <= min <= max',
    ],
    [
      'a parameter without a default',
      { 'h.ts': good("params: { n: { kind: 'int', min: 1, max: 9 } }") },
      'h.ts: params.n.default: must be a whole number in 1..9',
    ],
    [
      'an enum without values',
      { 'i.ts': good("params: { algo: { kind: 'enum', default: 'x' } }") },
      'i.ts: params.algo.values: must be a non-empty list of words',
    ],
    [
      'a name that clashes with a route',
      { 'j.ts': good("name: 'health'") },
      'j.ts: name: "health" clashes with the route /health',
    ],
    [
      'a name that clashes with a built-in',
      { 'k.ts': good("name: 'hash'") },
      'k.ts: name: "hash" clashes with the built-in workload of that name',
    ],
    [
      'a module that throws at load',
      { 'l.ts': "throw new Error('cannot open my config');\n" },
      'l.ts: failed to load: cannot open my config',
    ],
    [
      'a form that throws when it is read',
      {
        'm.ts':
          "export default { name: 'm', summary: 's', params: {}, get blocking() { throw new Error('not yet'); } };\n",
      },
      'm.ts: blocking: throws when read: not yet',
    ],
    [
      'a description of a mode it does not have',
      { 'n.ts': good("modes: { async: 'awaits' }") },
      'n.ts: modes.async: describes a mode this workload does not have (it has blocking, worker)',
    ],
    [
      'load-test parameters it would refuse',
      { 'o.ts': good("params: { n: { kind: 'int', min: 1, max: 9, default: 1 } }, loadtest: { params: { n: 10 } }") },
      'o.ts: loadtest.params: "n" is out of range (allowed: whole number 1..9)',
    ],
    [
      'a file that does not exist',
      { 'p.ts': good(''), 'q.ts': "export { default } from './nowhere.ts';\n" },
      'q.ts: failed to load: Cannot find module',
    ],
  ])('%s', async (_what, files, message) => {
    expect(await refusalOf(files)).toContain(`WORKLOADS: ${dir}/${message}`);
  });

  it('two files with the same name: the second is named, with the first — the server says so in its only line, exit 1', async () => {
    const { code, output, pgDir } = await startWith({
      'r1.ts': good("name: 'twice'"),
      'r2.ts': good("name: 'twice'"),
    });
    expect(code).toBe(1);
    expect(output.trim()).toBe(`looplab: WORKLOADS: ${dir}/r2.ts: name: "twice" clashes with ${dir}/r1.ts`);
    // It stopped before it started anything: the embedded PostgreSQL never created its directory.
    expect(existsSync(pgDir)).toBe(false);
  }, 60_000);
});
