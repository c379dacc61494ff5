import { randomInt } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { commandOf, descendants, stillAlive } from './helpers/process-tree.ts';
import { inspectQueue, type QueueInspector } from './helpers/queue-backends.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';

/**
 * README, queue mode: "A job is put back once (`maxStalledCount` 1); a second stall fails it (500
 * `QUEUE_JOB_FAILED`), so a job that kills every worker cannot take the whole fleet down." The job
 * here kills the queue worker process that runs it, every time; the server restarts its worker after
 * each death, and the stalled-job check (short lock and interval) finds the job each time.
 */
const killer = (runsFile: string) => `
import { appendFileSync } from 'node:fs';
export default {
  name: 'killer',
  summary: 'kills the queue worker process that runs it',
  params: { tag: { kind: 'int', min: 0, max: 1000000, default: 0 } },
  blocking() {
    // Only ever in a queue worker process: in the server or its worker threads it would take the server down.
    if (!process.argv.some((arg) => arg.endsWith('worker-main.ts'))) return { survived: true };
    appendFileSync(${JSON.stringify(runsFile)}, process.pid + '\\n');
    process.kill(process.pid, 'SIGKILL');
    return { survived: true };
  },
};
`;

let dir = '';
let runsFile = '';
let server: ServerProcess;
let inspector: QueueInspector;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-killer-'));
  const file = join(dir, 'killer.ts');
  runsFile = join(dir, 'runs.txt');
  await writeFile(file, killer(runsFile));
  inspector = inspectQueue({ kind: 'postgres', url: inject('databaseUrl') });
  server = await startServerProcess({
    WORKLOADS: file,
    QUEUE_WORKERS: '1',
    QUEUE_LOCK_MS: '1000',
    QUEUE_STALLED_MS: '1000',
    REQUEST_TIMEOUT_MS: '60000',
  });
});
afterAll(async () => {
  if (server) {
    const tree = descendants(server.pid);
    server.kill('SIGKILL');
    for (const pid of stillAlive(tree)) process.kill(pid, 'SIGKILL');
  }
  await inspector?.close();
  await rm(dir, { recursive: true, force: true });
});

const queueWorkers = () => descendants(server.pid).filter((pid) => commandOf(pid).includes('worker-main.ts'));

it('fails a job that stalls a second time with 500 QUEUE_JOB_FAILED, and the server and its workers live on', async () => {
  const tag = randomInt(0, 1_000_000);
  const res = await fetch(`${server.url}/killer/queue?tag=${tag}`);
  expect(res.status).toBe(500);
  expect(await res.json()).toMatchObject({ code: 'QUEUE_JOB_FAILED' });

  // Run twice, in two worker processes (put back once after the first death), then failed by the
  // stalled-job check. BullMQ marks the second stall as a deferred failure and puts the job back, so a
  // third worker takes it and fails it without running it: three starts, two runs.
  const runs = (await readFile(runsFile, 'utf8')).trim().split('\n');
  expect(runs).toHaveLength(2);
  expect(new Set(runs).size).toBe(2);
  const [job] = await inspector.find((data) => data.workload === 'killer' && data.params['tag'] === tag, ['failed']);
  expect(job?.failedReason).toBe('job stalled more than allowable limit');

  // The fleet is still there: the server answers, and a replacement worker takes the next job.
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  const next = await fetch(`${server.url}/cpu/queue?n=10`);
  expect(next.status).toBe(200);
  expect(queueWorkers()).toHaveLength(1);
});
