import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, inject, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';

const run = promisify(execFile);

it('closing the app releases the worker pool, DB pools and agents so the process exits by itself', async () => {
  // Exiting is the guarantee, and it is an event: execFile resolves when the process ends on its own.
  // Its timeout is only a hang guard. What the fixture saw still pending right after the close is
  // the cause, and is checked rather than a clock: an idle pool connection, keep-alive socket or
  // timer that would end the process later, by its own timeout, shows there.
  const { stdout } = await run(
    process.execPath,
    [...typeScriptLoaderArgs(), 'test/fixtures/serve-and-close.ts', inject('databaseUrl'), inject('upstreamUrl')],
    { timeout: 120_000 },
  );
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { statuses: number[]; pending: string[] };
  expect(report.statuses).toEqual([200, 200, 200, 200, 200, 200]);
  expect(report.pending).toEqual([]);
}, 150_000);
