import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { descendants, killLeftoversAfterEach, ownStackEnv, startLooplab, waitForExit } from './helpers/processes.ts';

/**
 * server/main.ts with its own embedded PostgreSQL and upstream, stopped by the two signals the world
 * sends, idle. Two full stacks, so e2e, beside signals.test.ts (the same signals under load through
 * npm). The fast tier keeps a SIGTERM drain (shutdown.test.ts) and the embedded stack stopped on
 * SIGTERM with nothing left behind (orphans.test.ts).
 */
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
      const started = await startLooplab(
        process.execPath,
        [...typeScriptLoaderArgs(), 'server/main.ts'],
        await ownStackEnv(dataDir),
      );
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
