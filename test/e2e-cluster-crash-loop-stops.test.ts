import { afterAll, expect, it } from 'vitest';
import { serverProcesses } from './helpers/cluster.ts';
import { descendants, stillAlive } from './helpers/process-tree.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * README, Processes and shutdown: "A server process that dies is replaced at once, logged in one line,
 * at most 5 times within 60 s; a sixth death stops the whole cluster (exit 1) rather than hide a crash
 * loop." Six SIGKILLs in a row, each after the primary has logged the one before.
 */
let server: ServerProcess | undefined;
let tree: number[] = [];
afterAll(() => {
  server?.kill('SIGKILL');
  for (const pid of stillAlive(tree)) process.kill(pid, 'SIGKILL');
});

it('replaces the first five server processes that die within a minute, and exits 1 at the sixth', async () => {
  server = await startServerProcess({ CLUSTER: '2', WORKERS: '1', DB_POOL: '2', QUEUE: 'off' });
  const primary = server;
  tree = descendants(primary.pid);
  const killed: number[] = [];
  for (let death = 1; death <= 5; death++) {
    const [victim] = serverProcesses(primary.pid).filter((pid) => !killed.includes(pid));
    if (victim === undefined) throw new Error('no server process to kill');
    process.kill(victim, 'SIGKILL');
    killed.push(victim);
    // The primary saw it and forked a replacement: its one line names the dead pid.
    await waitFor(
      `the primary to replace pid ${victim}`,
      () => (primary.output().includes(`server process ${victim} exited unexpectedly`) ? true : undefined),
      20_000,
    );
    tree = [...new Set([...tree, ...descendants(primary.pid)])];
  }
  expect(serverProcesses(primary.pid)).toHaveLength(2);

  const [sixth] = serverProcesses(primary.pid).filter((pid) => !killed.includes(pid));
  process.kill(sixth ?? -1, 'SIGKILL');
  expect(await primary.exited).toEqual({ code: 1, signal: null });
  expect(primary.output()).toMatch(
    new RegExp(`server processes exited 6 times within 60 s \\(the last, pid ${sixth}: .*\\); stopping the cluster`),
  );
  await waitFor(
    'every process of the cluster to exit',
    () => (stillAlive(tree).length === 0 ? true : undefined),
    30_000,
  );
}, 120_000);
