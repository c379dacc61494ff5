import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WORKERS_CANNOT_LOAD } from '../contract/ready.ts';
import { descendants, killLeftoversAfterEach, startLooplab, waitForExit, type Started } from './helpers/processes.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Only a synchronous form: blocking and worker modes, no async. It says which thread ran it. */
const SYNC_ONLY = `
import { threadId } from 'node:worker_threads';
export default {
  name: 'sum-to',
  summary: 'adds the numbers up to n',
  params: { n: { kind: 'int', min: 1, max: 1000000, default: 1000, doc: 'how far to count' } },
  check: ({ n }: { n: number }) => (n === 13 ? { param: 'n', error: 'unlucky', allowed: 'anything but 13' } : undefined),
  blocking({ n }: { n: number }) {
    let total = 0;
    for (let i = 1; i <= n; i++) total += i;
    return { total, threadId };
  },
  loadtest: { params: { n: 500000 } },
  bound: { kind: 'cpu' },
};
`;

/** Plain JavaScript with only an async form, using the server's own upstream client. */
const ASYNC_ONLY = `
export default {
  name: 'ping-upstream',
  summary: 'one call to the upstream',
  params: { delay: { kind: 'int', min: 0, max: 1000, default: 10 } },
  async async({ delay }, io, signal) {
    const body = await io.upstream.get('/delay/' + delay + '?bytes=3', signal);
    return { bytes: body.byteLength };
  },
  bound: { kind: 'wait', waits: ({ delay }) => ({ async: { ms: delay }, worker: { ms: delay } }) },
};
`;

/** Loads in the main thread, throws in every worker thread. */
const WORKER_SHY = `
import { isMainThread } from 'node:worker_threads';
if (!isMainThread) throw new Error('not in a worker');
export default { name: 'shy', summary: 's', params: {}, blocking: () => ({}) };
`;

let dir = '';
const keepTrack = killLeftoversAfterEach();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-own-'));
  await writeFile(join(dir, 'sum-to.ts'), SYNC_ONLY);
  await writeFile(join(dir, 'ping-upstream.mjs'), ASYNC_ONLY);
  await writeFile(join(dir, 'shy.ts'), WORKER_SHY);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `npm --prefix <repo> start` typed in the user's directory, with their files as relative WORKLOADS. */
async function npmStart(workloads: string): Promise<Started & { stop(): Promise<void> }> {
  // QUEUE=off: the in-process modes are what is checked here; queue.test.ts runs a user's file in queue mode.
  const env = {
    WORKLOADS: workloads,
    PORT: '0',
    DATABASE_URL: inject('databaseUrl'),
    UPSTREAM_URL: inject('upstreamUrl'),
    LOG_LEVEL: 'warn',
    QUEUE: 'off',
  };
  const started = await startLooplab('npm', ['--prefix', process.cwd(), 'start'], env, dir);
  const tree = [started.child.pid ?? -1, ...(await descendants(started.child.pid ?? -1))];
  keepTrack(tree);
  return {
    ...started,
    async stop() {
      started.child.kill('SIGTERM');
      await started.exited;
      expect(await waitForExit(tree)).toEqual([]);
    },
  };
}

const json = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('workloads from files outside the repository', () => {
  it('serves each in the modes its forms give, lists them in the index, and runs the worker form in a pool thread', async () => {
    const server = await npmStart('./sum-to.ts,./ping-upstream.mjs');
    try {
      await waitFor(
        'the server to be ready',
        async () => ((await fetch(`${server.url}/ready`)).status === 200 ? true : undefined),
        60_000,
        100,
      );
      const index = (await json(`${server.url}/`)).body as { endpoints: Array<Record<string, unknown>> };
      const sumTo = index.endpoints.find((e) => e['path'] === '/sum-to/:mode');
      expect(sumTo).toMatchObject({
        source: join(dir, 'sum-to.ts'),
        modes: {
          blocking: 'the synchronous form, on the event-loop thread',
          worker: 'the synchronous form inside a pool worker thread',
        },
        params: { n: { type: 'integer', min: 1, max: 1000000, default: 1000, description: 'how far to count' } },
        loadtest: { params: { n: '500000' } },
        bound: { kind: 'cpu', path: '/sum-to/bound' },
      });
      expect(Object.keys(sumTo?.['modes'] as object)).toEqual(['blocking', 'worker']);
      expect(index.endpoints.find((e) => e['path'] === '/ping-upstream/:mode')?.['modes']).toEqual({
        async: 'the async form, awaited on the event loop',
        worker: 'the async form inside a pool worker thread',
      });

      const blocking = await json(`${server.url}/sum-to/blocking?n=100`);
      expect(blocking.status).toBe(200);
      expect(blocking.body).toMatchObject({
        workload: 'sum-to',
        mode: 'blocking',
        params: { n: 100 },
        total: 5050,
        threadId: 0,
      });
      const worker = await json(`${server.url}/sum-to/worker?n=100`);
      expect(worker.status).toBe(200);
      expect(worker.body).toMatchObject({ mode: 'worker', total: 5050 });
      expect(worker.body['threadId']).toBeGreaterThan(0);

      expect(await json(`${server.url}/sum-to/async`)).toEqual({
        status: 404,
        body: { error: 'workload sum-to has no async mode', modes: ['blocking', 'worker'] },
      });
      expect(await json(`${server.url}/sum-to/blocking?n=13`)).toEqual({
        status: 400,
        body: { error: 'unlucky', param: 'n', allowed: 'anything but 13' },
      });
      expect(await json(`${server.url}/sum-to/worker?n=0`)).toEqual({
        status: 400,
        body: { error: '"n" is out of range', param: 'n', allowed: 'whole number 1..1000000' },
      });

      expect((await json(`${server.url}/ping-upstream/async?delay=0`)).body).toMatchObject({ mode: 'async', bytes: 3 });
      expect((await json(`${server.url}/ping-upstream/worker?delay=0`)).body).toMatchObject({
        mode: 'worker',
        bytes: 3,
      });
      expect((await json(`${server.url}/ping-upstream/blocking`)).status).toBe(404);

      expect(await json(`${server.url}/ping-upstream/bound?delay=40`)).toEqual({
        status: 200,
        body: {
          workload: 'ping-upstream',
          params: { delay: 40 },
          bound: {
            kind: 'wait',
            modes: { async: { ms: 40, concurrency: 'connections' }, worker: { ms: 40, concurrency: 'workers' } },
          },
        },
      });
      expect((await json(`${server.url}/sum-to/bound?n=13`)).status).toBe(400);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('a file that loads in the main thread but not in the worker threads keeps /ready at 503 and fails its worker requests', async () => {
    const server = await npmStart('./shy.ts');
    try {
      const ready = await waitFor(
        'a /ready answer naming the workers',
        async () => {
          const { status, body } = await json(`${server.url}/ready`);
          const checks = body['checks'] as Record<string, string> | undefined;
          // Until the threads have tried to load the file, the ping may simply not be answered in time.
          return status === 503 && checks?.['workers'] === WORKERS_CANNOT_LOAD ? checks : undefined;
        },
        60_000,
        200,
      );
      expect(ready).toMatchObject({ database: 'ok', upstream: 'ok' });
      // The server's log says which file and why; /ready's body never carries messages.
      // /ready's own ping can fail before the start-up ping's line is written, so wait for the line.
      const line = await waitFor(
        'the log line naming the file',
        async () =>
          /looplab: the worker threads cannot load a workload file, .*shy\.ts: failed to load: not in a worker/.exec(
            server.output(),
          )?.[0],
        10_000,
        100,
      );
      expect(line).toContain('shy.ts');
      expect((await json(`${server.url}/shy/blocking`)).status).toBe(200);
      expect((await json(`${server.url}/shy/worker`)).status).toBe(500);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
