import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getOnNewConnection, serverProcesses } from './helpers/cluster.ts';
import { descendants, stillAlive } from './helpers/process-tree.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * README, Processes and shutdown: "A process started with `kill -TERM <its pid>` alone drains its
 * requests, exits 0, and is replaced." The workload says which process answered, so the test can see
 * that the signalled process had requests in flight and answered every one of them.
 */
const WHO = `
import { setTimeout as sleep } from 'node:timers/promises';
export default {
  name: 'who',
  summary: 'waits ms milliseconds, then says which process answered',
  params: { ms: { kind: 'int', min: 0, max: 10000, default: 0 } },
  async async({ ms }: { ms: number }) {
    await sleep(ms);
    return { pid: process.pid };
  },
};
`;

let dir = '';
let server: ServerProcess | undefined;
let tree: number[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-who-'));
  await writeFile(join(dir, 'who.ts'), WHO);
});
afterAll(async () => {
  server?.kill('SIGKILL');
  for (const pid of stillAlive(tree)) process.kill(pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

it('drains a server process sent SIGTERM alone, which exits 0 and is replaced while the other serves on', async () => {
  server = await startServerProcess({
    CLUSTER: '2',
    WORKERS: '1',
    DB_POOL: '2',
    QUEUE: 'off',
    WORKLOADS: join(dir, 'who.ts'),
  });
  const primary = server;
  const before = serverProcesses(primary.pid);
  expect(before).toHaveLength(2);
  tree = descendants(primary.pid);

  // Connections of their own go to each process in turn: both get some of these 2-second requests.
  const answers = Promise.all(Array.from({ length: 6 }, () => getOnNewConnection(`${primary.url}/who/async?ms=2000`)));
  await new Promise((resolve) => setTimeout(resolve, 500)); // hand-off only: every request is in flight
  const [victim] = before;
  process.kill(victim ?? -1, 'SIGTERM');

  const done = await answers;
  expect(done.map((a) => a.status)).toEqual(Array(6).fill(200));
  const servedBy = done.map((a) => (JSON.parse(a.body) as { pid: number }).pid);
  expect(servedBy).toContain(victim); // it had requests in flight, and answered them

  await waitFor(
    `pid ${victim} to be replaced`,
    () => (primary.output().includes(`server process ${victim} exited`) ? true : undefined),
    20_000,
  );
  expect(primary.output()).toContain(`server process ${victim} exited unexpectedly (code 0, signal null)`);
  const after = await waitFor(
    'two server processes again',
    () => {
      const pids = serverProcesses(primary.pid);
      return pids.length === 2 ? pids : undefined;
    },
    20_000,
  );
  expect(after).not.toContain(victim);
  tree = [...new Set([...tree, ...descendants(primary.pid)])];
  // The cluster serves on: a run of new connections reaches both processes, the replacement too.
  const later = await waitFor(
    'the replacement to serve',
    async () => {
      const pids = new Set(
        (await Promise.all(Array.from({ length: 4 }, () => getOnNewConnection(`${primary.url}/who/async`)))).map(
          (a) => (JSON.parse(a.body) as { pid: number }).pid,
        ),
      );
      return after.every((pid) => pids.has(pid)) ? pids : undefined;
    },
    30_000,
    200,
  );
  expect(later.has(victim ?? -1)).toBe(false);
}, 120_000);
