import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { inject } from 'vitest';
import type { QueueBackend } from '../contract/queue.ts';
import { workerName } from '../lib/queue-access.ts';
import { commandOf, descendants, stillAlive } from './helpers/process-tree.ts';
import {
  hasRedisServer,
  inspectQueue,
  startRedis,
  type QueueInspector,
  type RedisServer,
} from './helpers/queue-backends.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * Queue mode against real processes: the server (server/main.ts) with its own queue worker
 * processes, on both BullMQ backends — PostgreSQL (the run's embedded database) and a real
 * redis-server started here. Not one server per case: the cases that accept the same settings run in
 * order on one shared server (the last one stops it); the deadline case (a 1.5 s REQUEST_TIMEOUT_MS)
 * and the WORKLOADS case (PostgreSQL only) have their own.
 */
// CI installs redis-server (.ci/run), so there a missing binary fails the Redis cases instead of skipping them.
const redisInstalled = hasRedisServer() || process.env['CI'] === 'true';
if (!redisInstalled)
  console.warn(
    'queue.test.ts: redis-server is not installed (apt-get install redis-server): the Redis backend tests are SKIPPED',
  );

const workerPids = (server: ServerProcess) =>
  descendants(server.pid).filter((pid) => commandOf(pid).includes('queue-worker-main.ts'));

/** A fetch delay no other test uses, so a test finds its own jobs among the ones the queue keeps. */
const uniqueDelay = (from: number) => from + randomInt(0, 1000);

/** A workload the queue worker can only know from a WORKLOADS file: it must load it as the server does. */
const TALLY = `export default {
  name: 'tally',
  summary: 'sum of 1..n, with the pid that computed it',
  params: { n: { kind: 'int', min: 1, max: 1000000, default: 10 } },
  blocking({ n }) { let s = 0; for (let i = 1; i <= n; i++) s += i; return { sum: s, pid: process.pid }; },
};
`;

/** The settings every case on the shared server accepts. */
const SHARED = {
  QUEUE_WORKERS: '1',
  QUEUE_MAX: '3',
  QUEUE_KEEP: '3',
  // Lock and stalled-check intervals of 2 s: a killed worker's job is back in the queue within
  // ~2 + 2 × 2 s, well inside the deadline.
  QUEUE_LOCK_MS: '2000',
  QUEUE_STALLED_MS: '2000',
  REQUEST_TIMEOUT_MS: '40000',
};

/** A server's metric sample, 0 when the series is not there yet. */
async function sampleOf(server: ServerProcess, series: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe.each([
  { backend: 'postgres' as const, skip: false },
  { backend: 'redis' as const, skip: !redisInstalled },
])('queue mode on $backend', ({ backend, skip }) => {
  let redis: RedisServer | undefined;
  let queueBackend: QueueBackend;
  let inspector: QueueInspector;
  let dir: string;
  let tally: string;
  // Started by the first case that needs it, not in beforeAll: the WORKLOADS case runs first with no
  // other queue worker on the queue, since the shared server's worker knows no `tally` and would take
  // (and fail) its job as readily as the worker meant for it.
  let sharedStarted: Promise<ServerProcess> | undefined;
  const sharedServer = (): Promise<ServerProcess> => (sharedStarted ??= start(SHARED));
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'redis') redis = await startRedis();
    queueBackend = redis ? { kind: 'redis', url: redis.url } : { kind: 'postgres', url: inject('databaseUrl') };
    inspector = inspectQueue(queueBackend);
    dir = await mkdtemp(join(tmpdir(), 'looplab-queue-own-'));
    tally = join(dir, 'tally.mjs');
    await writeFile(tally, TALLY);
  }, 120_000);
  /** Kills a server and every process it started. */
  function stop(server: ServerProcess): void {
    const tree = descendants(server.pid);
    server.kill('SIGKILL');
    for (const pid of stillAlive(tree)) process.kill(pid, 'SIGKILL');
  }
  afterAll(async () => {
    for (const server of servers) stop(server);
    await inspector?.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Resolves once a queue worker of `server` serves (the server listens before its workers are up). */
  async function serving(server: ServerProcess): Promise<void> {
    await waitFor(
      'a queue worker to serve',
      async () => ((await fetch(`${server.url}/cpu/queue?n=0`)).status === 200 ? true : undefined),
      60_000,
      100,
    );
  }

  async function start(env: Record<string, string>): Promise<ServerProcess> {
    const server = await startServerProcess({ ...(redis ? { REDIS_URL: redis.url } : {}), ...env });
    servers.push(server);
    await serving(server);
    return server;
  }

  // A server of its own: its WORKLOADS file is loaded by its worker threads too, and /ready waits for them.
  it.skipIf(skip || backend === 'redis')(
    "runs a user's WORKLOADS file unchanged, in the queue worker process",
    async () => {
      const server = await start({ QUEUE_WORKERS: '1', WORKLOADS: tally });
      onTestFinished(() => stop(server)); // its queue worker would take the shared server's jobs later
      const res = await fetch(`${server.url}/tally/queue?n=1000`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { sum: number; pid: number; mode: string };
      expect(body.sum).toBe(500500); // n(n+1)/2
      expect(body.mode).toBe('queue');
      // Computed in the queue worker process, not in the server.
      expect(workerPids(server)).toContain(body.pid);
      expect(body.pid).not.toBe(server.pid);
    },
    120_000,
  );

  it.skipIf(skip)(
    'answers every workload with the result the other modes compute, and lists queue in the index',
    async () => {
      const server = await sharedServer();
      const cpuWaits = 'looplab_queue_wait_seconds_count{workload="cpu"}';
      const hashRuns = 'looplab_queue_processing_seconds_count{workload="hash"}';
      const [cpuBefore, hashBefore] = [await sampleOf(server, cpuWaits), await sampleOf(server, hashRuns)];
      for (const path of ['/cpu/%s?task=primes&n=100000', '/cpu/%s?n=300000', '/hash/%s?cost=1000']) {
        const [queued, inWorker, inAsync] = await Promise.all(
          ['queue', 'worker', 'async'].map(async (mode) => {
            const res = await fetch(server.url + path.replace('%s', mode));
            expect(res.status).toBe(200);
            return (await res.json()) as Record<string, unknown>;
          }),
        );
        const { mode, durationMs, ...result } = queued ?? {};
        expect(mode).toBe('queue');
        expect(typeof durationMs).toBe('number');
        for (const other of [inWorker, inAsync])
          expect({ ...other, mode: undefined, durationMs: undefined }).toEqual({
            ...result,
            mode: undefined,
            durationMs: undefined,
          });
      }
      const db = await fetch(`${server.url}/db/queue?queries=3`);
      expect(db.status).toBe(200);
      expect(((await db.json()) as { rows: unknown[] }).rows).toHaveLength(3);

      const index = (await (await fetch(`${server.url}/`)).json()) as {
        modes: Record<string, string>;
        server: { queue?: unknown };
      };
      expect(Object.keys(index.modes)).toEqual(['blocking', 'async', 'worker', 'queue']);
      expect(index.server.queue).toEqual({ backend, workers: 1, concurrency: 1, max: 3 });
      const unknownMode = await fetch(`${server.url}/db/nope`);
      expect(unknownMode.status).toBe(404);
      expect(await unknownMode.json()).toEqual({
        error: 'unknown mode',
        modes: ['blocking', 'async', 'worker', 'queue'],
      });
      // The two cpu jobs and the hash job above, each counted once.
      expect([(await sampleOf(server, cpuWaits)) - cpuBefore, (await sampleOf(server, hashRuns)) - hashBefore]).toEqual(
        [2, 1],
      );
    },
    120_000,
  );

  it.skipIf(skip)(
    'refuses exactly the requests past QUEUE_MAX with 503 and Retry-After, and takes new ones once they drain',
    async () => {
      // QUEUE_MAX counts this server's jobs in the queue, waiting or running: of 7 at once, 3 get in.
      const server = await sharedServer();
      const delay = uniqueDelay(2000);
      const responses = await Promise.all(
        Array.from({ length: 7 }, () => fetch(`${server.url}/fetch/queue?delay=${delay}`)),
      );
      const bodies = await Promise.all(
        responses.map(async (r) => ({
          status: r.status,
          retryAfter: r.headers.get('retry-after'),
          body: (await r.json()) as unknown,
        })),
      );
      expect(bodies.map((r) => r.status).sort()).toEqual([200, 200, 200, 503, 503, 503, 503]);
      for (const refused of bodies.filter((r) => r.status === 503)) {
        expect(refused.body).toEqual({ error: 'the BullMQ queue is full; retry later', code: 'OVERLOADED' });
        expect(refused.retryAfter).toBe('1');
      }
      expect((await fetch(`${server.url}/fetch/queue?delay=0`)).status).toBe(200);
    },
    120_000,
  );

  it.skipIf(skip)(
    'cancels the running job in its worker when the client hangs up',
    async () => {
      const server = await sharedServer();
      const delay = uniqueDelay(8000);
      const mine = (data: { params: Record<string, unknown> }) => data.params['delay'] === delay;
      const client = new AbortController();
      const request = fetch(`${server.url}/fetch/queue?delay=${delay}`, { signal: client.signal }).catch(
        () => 'hung up',
      );
      await waitFor(
        'the job to run',
        async () => ((await inspector.find(mine, ['active'])).length > 0 ? true : undefined),
        20_000,
      );
      client.abort();
      expect(await request).toBe('hung up');
      // Failed with "cancelled", not completed after its 8+ s upstream call.
      const [job] = await waitFor(
        'the job to end',
        async () => {
          const ended = await inspector.find(mine, ['failed', 'completed']);
          return ended.length > 0 ? ended : undefined;
        },
        30_000,
      );
      expect([job?.state, job?.failedReason]).toEqual(['failed', expect.stringMatching(/^cancelled: /)]);
    },
    120_000,
  );

  it.skipIf(skip)(
    'keeps the QUEUE_KEEP latest completed jobs, and no more',
    async () => {
      const server = await sharedServer();
      // Costs no other test uses, so this test counts its own jobs among whatever the queue keeps.
      const first = 1000 + randomInt(0, 1000) * 10;
      const costs = Array.from({ length: 6 }, (_, i) => first + i);
      for (const cost of costs) expect((await fetch(`${server.url}/hash/queue?cost=${cost}`)).status).toBe(200);
      const kept = await inspector.find((data) => costs.includes(Number(data.params['cost'])), ['completed']);
      expect(kept.map((job) => Number(job.data.params['cost'])).sort()).toEqual(costs.slice(3));
      expect((await inspector.counts())['completed']).toBe(3);
    },
    120_000,
  );

  it.skipIf(skip)(
    'answers 200 within its deadline when the worker running its job is killed with SIGKILL',
    async () => {
      const server = await sharedServer();
      const delay = uniqueDelay(3000);
      const started = performance.now();
      const answer = fetch(`${server.url}/fetch/queue?delay=${delay}`);
      const mine = (data: { params: Record<string, unknown> }) => data.params['delay'] === delay;
      await waitFor(
        'the job to run',
        async () => ((await inspector.find(mine, ['active'])).length > 0 ? true : undefined),
        20_000,
      );
      const [victim] = workerPids(server);
      process.kill(victim ?? -1, 'SIGKILL');
      const res = await answer;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ workload: 'fetch', mode: 'queue', requests: 1, bytesReceived: 1024 });
      expect(performance.now() - started).toBeLessThan(40_000);
      const [job] = await inspector.find(mine, ['completed']);
      expect(job?.attemptsStarted).toBe(2); // it ran again, in the replacement
      expect(workerPids(server)).not.toContain(victim);
    },
    120_000,
  );

  it.skipIf(skip)(
    'takes jobs in an `npm run worker` process started by hand, and every process of the server exits on shutdown',
    async () => {
      const server = await sharedServer();
      await serving(server); // the replacement of the worker killed above
      const [local] = workerPids(server);
      // A worker as an operator starts one on another machine: `npm run worker`, the server's addresses.
      const npm = spawn('npm', ['run', '--silent', 'worker'], {
        env: {
          ...process.env,
          DATABASE_URL: inject('databaseUrl'),
          UPSTREAM_URL: inject('upstreamUrl'),
          ...(redis ? { REDIS_URL: redis.url } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let printed = '';
      npm.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      npm.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const npmExited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
      try {
        const byHand = await waitFor(
          'the hand-started worker to listen',
          () => {
            const pid = /looplab queue worker (\d+): /.exec(printed)?.[1];
            return pid ? Number(pid) : undefined;
          },
          60_000,
          100,
        );
        // Two jobs at once for two workers that run one at a time: each takes one.
        const delay = uniqueDelay(1000);
        const answers = await Promise.all([delay, delay + 1].map((d) => fetch(`${server.url}/fetch/queue?delay=${d}`)));
        expect(answers.map((r) => r.status)).toEqual([200, 200]);
        const jobs = await inspector.find(
          (data) => data.params['delay'] === delay || data.params['delay'] === delay + 1,
          ['completed'],
        );
        expect(jobs.map((job) => job.processedBy).sort()).toEqual(
          [workerName(hostname(), local ?? -1), workerName(hostname(), byHand)].sort(),
        );

        const tree = descendants(server.pid);
        server.kill('SIGTERM');
        expect(await server.exited).toEqual({ code: 0, signal: null });
        await waitFor(
          'every process of the server to exit',
          () => (stillAlive(tree).length === 0 ? true : undefined),
          30_000,
          100,
        );
        // Not the server's: it stops on its own signal, after its running jobs.
        process.kill(byHand, 'SIGTERM');
        expect(await npmExited, printed).toBe(0);
      } finally {
        for (const pid of stillAlive([npm.pid ?? -1, ...descendants(npm.pid ?? -1)])) process.kill(pid, 'SIGKILL');
      }
    },
    180_000,
  );
});

describe.each([
  { backend: 'postgres' as const, skip: false },
  { backend: 'redis' as const, skip: !redisInstalled },
])('queue mode on $backend, with a 1.5 s deadline', ({ backend, skip }) => {
  let redis: RedisServer | undefined;
  let inspector: QueueInspector;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'redis') redis = await startRedis();
    inspector = inspectQueue(
      redis ? { kind: 'redis', url: redis.url } : { kind: 'postgres', url: inject('databaseUrl') },
    );
  });
  afterAll(async () => {
    if (server) {
      const tree = descendants(server.pid);
      server.kill('SIGKILL');
      for (const pid of stillAlive(tree)) process.kill(pid, 'SIGKILL');
    }
    await inspector?.close();
    await redis?.stop();
  });

  it.skipIf(skip)(
    'answers 504 at the deadline and never runs a job whose caller is gone',
    async () => {
      // One worker, one job at a time: the first job holds it past the deadline, the second waits.
      const started = await startServerProcess({
        ...(redis ? { REDIS_URL: redis.url } : {}),
        QUEUE_WORKERS: '1',
        REQUEST_TIMEOUT_MS: '1500',
      });
      server = started;
      await waitFor(
        'a queue worker to serve',
        async () => ((await fetch(`${started.url}/cpu/queue?n=0`)).status === 200 ? true : undefined),
        60_000,
        100,
      );
      const running = uniqueDelay(6000);
      const waiting = running + 1000;
      const first = fetch(`${started.url}/fetch/queue?delay=${running}`);
      // This job, not any active one in the shared queue: the second must find the worker taken.
      const isRunning = (data: { params: Record<string, unknown> }) => data.params['delay'] === running;
      await waitFor(
        'the first job to run',
        async () => ((await inspector.find(isRunning, ['active'])).length > 0 ? true : undefined),
        20_000,
      );
      const second = fetch(`${started.url}/fetch/queue?delay=${waiting}`);
      const [a, b] = await Promise.all([first, second]);
      expect([a.status, b.status]).toEqual([504, 504]);
      expect(await b.json()).toEqual({ error: 'the request took longer than its deadline', deadlineMs: 1500 });
      // The server asked the workers to cancel both jobs (it deletes none): both leave the queue
      // (waitFor fails the test if they do not).
      const mine = (data: { params: Record<string, unknown> }) =>
        data.params['delay'] === running || data.params['delay'] === waiting;
      await waitFor(
        'both jobs to leave the queue',
        async () => {
          const left = await inspector.find(mine, ['waiting', 'active', 'prioritized', 'delayed']);
          return left.length === 0 ? true : undefined;
        },
        20_000,
      );
      // The running one was cancelled (failed, not completed).
      const ended = await inspector.find(mine, ['completed', 'failed']);
      expect(ended.filter((job) => job.state === 'completed')).toEqual([]);
      const cancelled = ended.filter((job) => job.data.params['delay'] === running);
      expect(cancelled.map((job) => [job.attemptsStarted, job.failedReason])).toEqual([
        [1, expect.stringMatching(/^cancelled: /)],
      ]);
      // The waiting one ended failed, never run: cancelled (a worker took it just before its caller
      // left) or discarded (taken after its cancel or its deadline). Not removed: the server deletes no
      // job a worker may be taking (e2e-queue-claim-race.test.ts).
      const waited = ended.filter((job) => job.data.params['delay'] === waiting);
      expect(waited.map((job) => job.failedReason)).toEqual([expect.stringMatching(/^(cancelled|discarded): /)]);
    },
    120_000,
  );
});
