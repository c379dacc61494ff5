import { spawn, spawnSync } from 'node:child_process';
import { Queue, type BackendFactory, type IQueueBackend, type JobState } from 'bullmq';
import { freePort } from '../../lib/free-port.ts';
import { withQueueBackend, type QueueBackend } from '../../server/queue/backend.ts';
import { QUEUE_NAME, type JobData } from '../../server/queue/protocol.ts';
import { waitFor } from './wait-for.ts';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Whether Debian's redis-server is installed (`.ci/run` installs it). */
export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;

/** A real redis-server on a free loopback port, in memory only, for one test file. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor('redis-server to accept connections', () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${output}`);
    return output.includes('Ready to accept connections') ? true : undefined;
  }, 30_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** One finished or pending job, as a test needs to see it. */
export interface SeenJob {
  data: JobData;
  state: JobState | 'unknown';
  failedReason: string | undefined;
  attemptsStarted: number;
}

/** A test's own look into the BullMQ queue the server and its workers share. */
export interface QueueInspector {
  counts(): Promise<Record<string, number>>;
  /** Jobs in the given states whose params match. */
  find(match: (data: JobData) => boolean, states: JobState[]): Promise<SeenJob[]>;
  close(): Promise<void>;
}

export function inspectQueue(backend: QueueBackend): QueueInspector {
  return withQueueBackend(backend, (factory, connection) => buildInspector(factory, connection));
}

function buildInspector<B extends IQueueBackend, C>(factory: BackendFactory<B, C>, connection: C): QueueInspector {
  const queue = new Queue<JobData, unknown, string, JobData, unknown, string, B, C>(QUEUE_NAME, { connection }, factory);
  return {
    counts: () => queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'),
    async find(match, states) {
      const jobs = await queue.getJobs(states);
      return Promise.all(
        jobs
          .filter((job) => job && match(job.data))
          .map(async (job) => ({ data: job.data, state: await job.getState(), failedReason: job.failedReason, attemptsStarted: job.attemptsStarted })),
      );
    },
    close: () => queue.close(),
  };
}
