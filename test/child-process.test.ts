import { fork } from 'node:child_process';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';

/**
 * Forks a fixture, waits for its first message, then closes its IPC channel — what a child sees when its
 * parent dies — and resolves with how it exited and what it wrote to stderr.
 */
async function orphan(
  fixture: string,
  args: string[],
): Promise<{ first: { type: string }; code: number | null; stderr: string }> {
  const child = fork(new URL(`./fixtures/${fixture}`, import.meta.url), args, {
    execArgv: typeScriptLoaderArgs(),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [first] = (await once(child, 'message')) as [{ type: string }];
  const exited = once(child, 'exit');
  child.disconnect();
  const [code] = (await exited) as [number | null];
  return { first, code, stderr };
}

it('a child whose parent is gone exits even when its shutdown hangs', async () => {
  // The hang guard is vitest's own timeout; the bound under test is the 500 ms given to the child.
  const { first, code, stderr } = await orphan('hanging-child.ts', ['500']);
  expect(first.type).toBe('ready');
  expect(code).toBe(1);
  expect(stderr).toMatch(
    /hanging-child.ts \(pid \d+\): the parent is gone and the shutdown did not finish within 500 ms; exiting/,
  );
}, 20_000);

it('a child whose parent is gone before it is ready runs its shutdown and exits 0, without a stack trace', async () => {
  // The fixture calls serveParent only once its channel has closed.
  const { first, code, stderr } = await orphan('late-child.ts', []);
  expect(first.type).toBe('booted');
  expect(stderr).not.toMatch(/ERR_IPC_CHANNEL_CLOSED|Unhandled/);
  expect(code).toBe(0);
}, 20_000);
