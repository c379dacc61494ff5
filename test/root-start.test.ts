import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../lib/free-port.ts';
import { descendants, startLooplab, waitForExit } from './helpers/processes.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/**
 * Containers usually run as root, with the project in a 0700 home. PostgreSQL refuses to run as root,
 * so it runs as a `postgres` account that cannot enter such a directory: neither its binaries in
 * node_modules nor its data directory. `npm start` must work there anyway.
 */
let clone = '';
beforeAll(async () => {
  if (!isRoot) return;
  // A private directory on the same file system as this checkout, so node_modules can be hard-linked
  // in (seconds) rather than reinstalled: what matters is the path the postgres account must walk.
  await mkdir(resolve('.looplab'), { recursive: true });
  const home = await mkdtemp(resolve('.looplab/private-home-'));
  await run('chmod', ['0700', home]);
  clone = join(home, 'looplab');
  await mkdir(clone);
  await run('sh', [
    '-c',
    `tar --exclude=./node_modules --exclude=./.looplab --exclude=./.git --exclude=./results -cf - . | tar -xf - -C "${clone}"`,
  ]);
  await run('cp', ['-al', resolve('node_modules'), join(clone, 'node_modules')]);
}, 120_000);
afterAll(async () => {
  if (!clone) return;
  // What the clone's PostgreSQL moved to /var/tmp/looplab goes with it, also when the test failed midway.
  await run('npm', ['run', '--silent', 'clean'], { cwd: clone }).catch(() => {});
  await rm(join(clone, '..'), { recursive: true, force: true });
});

it.skipIf(!isRoot)(
  'starts as root from a 0700 directory, serves the database, and stops cleanly',
  async () => {
    const started = await startLooplab(
      'npm',
      ['start', '--silent'],
      {
        PORT: '0',
        UPSTREAM_PORT: '0',
        PG_PORT: String(await freePort()),
        DATABASE_URL: '',
        UPSTREAM_URL: '',
        // The real first start: initdb as the postgres account, not a copy of the suite's template.
        LOOPLAB_PG_TEMPLATE: '',
      },
      clone,
    );
    const tree = await descendants(started.child.pid ?? -1);
    try {
      // It said where PostgreSQL's data went, since it is not where the user looks.
      const moved = /keeping the PostgreSQL data in (\S+) instead/.exec(started.output())?.[1];
      expect(moved).toMatch(/^\/var\/tmp\/looplab\//);
      const res = await fetch(`${started.url}/db/async?queries=3`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { rows: unknown[] }).rows).toHaveLength(3);

      // Nothing but looplab's own processes in the group a Ctrl-C reaches. When the scripts ran through
      // tsx, its esbuild service was one of them: the group's SIGINT stopped it too, and a module still
      // being compiled then (this copy's paths are new, so nothing was cached) failed the server with
      // "The service was stopped: write EPIPE", exit 1 — seen at load 7. So the signal goes at once,
      // before /ready, as a newcomer's first Ctrl-C would.
      const commands = await Promise.all(
        tree.map(async (pid) => (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ')),
      );
      expect(commands.filter((command) => command.includes('esbuild'))).toEqual([]);
      process.kill(-(started.child.pid ?? 0), 'SIGINT');
      const exit = await started.exited;
      // The output goes with a failure: an exit code alone does not say which step failed.
      expect(
        [
          { code: 0, signal: null },
          { code: null, signal: 'SIGINT' },
        ],
        started.output(),
      ).toContainEqual(exit);
      expect(started.output()).toMatch(/looplab: stopped, exit 0/);
      expect(await waitForExit(tree)).toEqual([]);

      // The moved data names its owner, so this clone's `npm run clean` finds it even without the pointer.
      const folder = dirname(moved ?? '');
      expect((await readFile(join(folder, 'owner'), 'utf8')).trim()).toBe(join(clone, '.looplab', 'postgres'));
      await rm(join(clone, '.looplab', 'postgres.location'));
      await run('npm', ['run', '--silent', 'clean'], { cwd: clone });
      expect(existsSync(folder)).toBe(false);
    } finally {
      for (const pid of [started.child.pid ?? -1, ...tree]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  },
  120_000,
);
