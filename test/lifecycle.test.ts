import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { freePort } from '../lib/free-port.ts';
import { descendants, killLeftoversAfterEach, startLooplab, waitForExit } from './helpers/processes.ts';

const run = promisify(execFile);

it('closing the app releases the worker pool, DB pools and agents so the process exits by itself', async () => {
  const started = Date.now();
  const { stdout } = await run(
    process.execPath,
    [...typeScriptLoaderArgs(), 'test/fixtures/serve-and-close.ts', inject('databaseUrl'), inject('upstreamUrl')],
    { timeout: 20_000 },
  );
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { statuses: number[]; closedAt: number };
  expect(report.statuses).toEqual([200, 200, 200, 200, 200, 200]);
  // Exited (execFile resolved) promptly after closing, not after some idle timeout.
  expect(Date.now() - report.closedAt).toBeLessThan(3_000);
  expect(Date.now() - started).toBeLessThan(20_000);
});

/** Whatever a failed case left running is killed, so that the next case starts clean. */
const leaveNothingBehind = killLeftoversAfterEach();

describe('npm start (server/main.ts) with the embedded database and bundled upstream', () => {
  it.each([
    ['Ctrl-C in a terminal (SIGINT to the whole process group)', 'group', 'SIGINT'],
    ['an orchestrator (SIGTERM to the main process only)', 'main', 'SIGTERM'],
  ] as const)(
    'stops everything it started on %s',
    async (_label, target, signal) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'looplab-main-test-'));
      const started = await startLooplab(process.execPath, [...typeScriptLoaderArgs(), 'server/main.ts'], {
        PORT: '0',
        UPSTREAM_PORT: '0',
        PG_PORT: String(await freePort()),
        PG_DATA_DIR: dataDir,
        DATABASE_URL: '',
        UPSTREAM_URL: '',
      });
      const main = started.child.pid ?? -1;
      const pids = await descendants(main);
      leaveNothingBehind([main, ...pids]);

      // Worker threads start in the background: /ready turns 200 once they answer (hang guard 60 s).
      let ready = 0;
      for (
        const until = Date.now() + 60_000;
        ready !== 200 && Date.now() < until;
        await new Promise((r) => setTimeout(r, 200))
      ) {
        ready = (await fetch(`${started.url}/ready`)).status;
      }
      expect(ready).toBe(200);
      expect(started.output()).toMatch(/curl .*\/hash\/blocking\?cost=100000/);
      expect(pids.length).toBeGreaterThanOrEqual(2); // at least the database host and the upstream

      process.kill(target === 'group' ? -main : main, signal);
      expect(await started.exited).toEqual({ code: 0, signal: null });
      expect(await waitForExit(pids)).toEqual([]);
      await rm(dataDir, { recursive: true, force: true });
    },
    90_000,
  );
});
