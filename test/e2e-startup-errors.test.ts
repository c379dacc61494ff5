import { expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { descendants, startupScratch, ownStackEnv, runToEnd, startLooplab, waitForExit } from './helpers/processes.ts';

/**
 * Start-ups that cannot succeed, past the one the fast tier keeps (startup-errors.test.ts, PORT
 * taken): the database's and the upstream's port taken, and a second looplab on a data directory the
 * first one's PostgreSQL holds, which refuses in one line and harms nothing. Each starts an embedded
 * PostgreSQL (two for the last).
 */
const scratch = startupScratch();

const noStack = (output: string) => expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);

it('PG_PORT already taken', async () => {
  const { code, output } = await runToEnd(await ownStackEnv(scratch.dataDir, { PG_PORT: String(scratch.port) }));
  expect(code).toBe(1);
  expect(output).toContain(
    `port ${scratch.port} is already in use, so the embedded PostgreSQL cannot listen on it; choose another with PG_PORT`,
  );
  noStack(output);
}, 90_000);

it('UPSTREAM_PORT already taken', async () => {
  const { code, output } = await runToEnd(await ownStackEnv(scratch.dataDir, { UPSTREAM_PORT: String(scratch.port) }));
  expect(code).toBe(1);
  expect(output).toContain(`upstream: port ${scratch.port} is already in use; choose another with UPSTREAM_PORT`);
  noStack(output);
}, 90_000);

it('a second looplab on the same data directory refuses in one line, and the first serves on', async () => {
  const first = await startLooplab(
    process.execPath,
    [...typeScriptLoaderArgs(), 'server/main.ts'],
    await ownStackEnv(scratch.dataDir),
  );
  const tree = await descendants(first.child.pid ?? -1);
  try {
    const { code, output } = await runToEnd(await ownStackEnv(scratch.dataDir));
    expect(code).toBe(1);
    expect(output).toMatch(
      new RegExp(
        `the PostgreSQL data directory ${scratch.dataDir} is in use by another PostgreSQL \\(pid \\d+\\), probably ` +
          `another looplab; stop it, or give this one its own PG_DATA_DIR and PG_PORT`,
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
