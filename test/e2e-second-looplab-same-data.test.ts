import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { descendants, ownStackEnv, runToEnd, startLooplab, waitForExit } from './helpers/processes.ts';

/**
 * A second looplab on a data directory the first one's PostgreSQL holds refuses in one line and
 * harms nothing. Two embedded stacks, so e2e; the fast tier keeps a start-up refused in one line
 * that stops what it had started (startup-errors.test.ts).
 */
let dataDir = '';
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'looplab-startup-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const noStack = (output: string) => expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);

it('a second looplab on the same data directory refuses in one line, and the first serves on', async () => {
  const first = await startLooplab(
    process.execPath,
    [...typeScriptLoaderArgs(), 'server/main.ts'],
    await ownStackEnv(dataDir),
  );
  const tree = await descendants(first.child.pid ?? -1);
  try {
    const { code, output } = await runToEnd(await ownStackEnv(dataDir));
    expect(code).toBe(1);
    expect(output).toMatch(
      new RegExp(
        `the PostgreSQL data directory ${dataDir} is in use by another PostgreSQL \\(pid \\d+\\), probably another looplab; stop it, or give this one its own PG_DATA_DIR and PG_PORT`,
      ),
    );
    noStack(output);
    // The first one is unharmed.
    expect((await fetch(`${first.url}/db/async`)).status).toBe(200);
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
    expect(await waitForExit(tree)).toEqual([]);
  }
}, 120_000);
