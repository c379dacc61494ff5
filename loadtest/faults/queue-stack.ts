import { siblingFile } from '../../lib/loader-args.ts';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChild, type ManagedChild } from '../../lib/child-process.ts';
import { workerName } from '../../lib/queue-access.ts';
import { waitUntilReady } from '../stack/wait-for-url.ts';
import { httpGet } from '../stack/http-get.ts';

/**
 * The settings the worker-kill drill runs queue mode with, and why. The defaults (5 s lock, 5 s
 * stalled check) put a killed worker's jobs back within 15 s; the drill shortens that so a phase
 * stays short, and says so in its report.
 */
export const QUEUE_DRILL_SETTINGS = {
  /** Queue worker processes the harness runs itself (the server starts none: QUEUE_WORKERS=0). */
  workers: 2,
  /** Jobs per worker at once: one worker alone holds the whole load while the other is replaced. */
  concurrency: 32,
  /** QUEUE_LOCK_MS: renewed every 1 s; a fetch job never holds its worker's event loop that long. */
  lockMs: 2000,
  /** QUEUE_STALLED_MS, BullMQ's own floor here: a stalled job is back within lock + 2 × this. */
  stalledMs: 1000,
  /** REQUEST_TIMEOUT_MS: far above the stalled bound plus a job, so a re-run job is still awaited. */
  deadlineMs: 15_000,
  /** As the server's own supervisor (server/queue/local-queue-workers.ts) waits before a replacement. */
  replacementDelayMs: 1000,
  /** Each job waits this long on the upstream: jobs are in flight when the worker dies. */
  jobMs: 500,
} as const;

export type QueueDrillSettings = typeof QUEUE_DRILL_SETTINGS;

/** The environment both the server and its workers get: the queue settings are read by both. */
function queueEnv(urls: { databaseUrl: string; upstreamUrl: string }, s: QueueDrillSettings): Record<string, string> {
  return {
    DATABASE_URL: urls.databaseUrl,
    UPSTREAM_URL: urls.upstreamUrl,
    QUEUE: 'on',
    QUEUE_CONCURRENCY: String(s.concurrency),
    QUEUE_LOCK_MS: String(s.lockMs),
    QUEUE_STALLED_MS: String(s.stalledMs),
    // Every job of the drill stays readable until it ends (the default keeps 1000).
    QUEUE_KEEP: '100000',
  };
}

/** A queue worker process the harness started, with the name it stamps on the jobs it takes. */
export interface DrillWorker {
  child: ManagedChild;
  name: string;
}

export interface QueueDrillStack {
  origin: string;
  workers: DrillWorker[];
  /** Starts one more `npm run worker` process and returns it once it listens for jobs. */
  startWorker(): Promise<DrillWorker>;
  stop(): Promise<void>;
}

/**
 * A server with QUEUE_WORKERS=0 and the harness's own `npm run worker` processes, the way workers on
 * other machines run: the harness owns their pids, so it can kill one and start its replacement.
 * Returns once a queue worker has answered a job.
 */
export async function startQueueDrillStack(
  urls: { databaseUrl: string; upstreamUrl: string },
  s: QueueDrillSettings = QUEUE_DRILL_SETTINGS,
): Promise<QueueDrillStack> {
  const env = queueEnv(urls, s);
  const workers: DrillWorker[] = [];
  let server: ManagedChild | undefined;
  const startWorker = async (): Promise<DrillWorker> => {
    const child = await startChild(
      siblingFile(import.meta.url, '../../server/queue/queue-worker-main.ts'),
      'queue worker',
      env,
      {
        quiet: true,
      },
    );
    const worker = { child, name: workerName(hostname(), child.pid) };
    workers.push(worker);
    return worker;
  };
  const stop = async () => {
    await server?.stop();
    await Promise.all(workers.map((w) => w.child.stop()));
  };
  try {
    server = await startChild(
      siblingFile(import.meta.url, '../../server/main.ts'),
      'looplab server (queue drill)',
      // QUEUE_MAX far above what the load puts in flight: a refusal is not what the drill measures.
      {
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
        QUEUE_WORKERS: '0',
        QUEUE_MAX: '10000',
        REQUEST_TIMEOUT_MS: String(s.deadlineMs),
      },
      { quiet: true },
    );
    await waitUntilReady(server.url);
    await Promise.all(Array.from({ length: s.workers }, startWorker));
    await untilAJobIsAnswered(server.url);
    return { origin: server.url, workers, startWorker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A worker that listens has not necessarily taken a job yet: one no-op round trip proves the path. */
async function untilAJobIsAnswered(origin: string, timeoutMs = 60_000): Promise<void> {
  const giveUpAt = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < giveUpAt) {
    try {
      const res = await httpGet(`${origin}/cpu/queue?n=0`, 10_000);
      await res.dump();
      if (res.ok) return;
      last = String(res.status);
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`no queue worker answered a job within ${timeoutMs / 1000} s (last answer: ${last})`);
}
