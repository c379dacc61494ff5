import { fork } from 'node:child_process';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';

it('a child whose parent is gone exits even when its shutdown hangs', async () => {
  const child = fork(new URL('./fixtures/hanging-child.ts', import.meta.url), ['500'], { execArgv: typeScriptLoaderArgs(), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [ready] = (await once(child, 'message')) as [{ type: string }];
  expect(ready.type).toBe('ready');
  const exited = once(child, 'exit');
  // What the child sees when its parent dies: the IPC channel closes.
  child.disconnect();
  // The hang guard is vitest's own timeout; the bound under test is the 500 ms given to the child.
  const [code] = (await exited) as [number | null];
  expect(code).toBe(1);
  expect(stderr).toMatch(/hanging-child.ts \(pid \d+\): the parent is gone and the shutdown did not finish within 500 ms; exiting/);
}, 20_000);

it('a child whose parent is gone before it is ready runs its shutdown and exits 0, without a stack trace', async () => {
  const child = fork(new URL('./fixtures/late-child.ts', import.meta.url), [], { execArgv: typeScriptLoaderArgs(), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [booted] = (await once(child, 'message')) as [{ type: string }];
  expect(booted.type).toBe('booted');
  const exited = once(child, 'exit');
  child.disconnect();
  const [code] = (await exited) as [number | null];
  expect(stderr).not.toMatch(/ERR_IPC_CHANNEL_CLOSED|Unhandled/);
  expect(code).toBe(0);
}, 20_000);
