import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue, type BackendFactory, type IQueueBackend, type Job } from 'bullmq';
import { inject } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import { QUEUE_NAME, type JobData } from '../../contract/queue.ts';
import { withQueueBackend } from '../../lib/queue-access.ts';

/** `npm run worker` (server/queue/queue-worker-main.ts) on its own: no server beside it. */
export interface QueueWorkerProcess {
  readonly pid: number;
  output(): string;
  /** SIGTERM (it finishes its running jobs) and wait for it to exit. */
  stop(): Promise<void>;
}

/** Starts a queue worker on the run's database and upstream; resolves once it takes jobs. */
export async function startQueueWorker(env: Record<string, string> = {}): Promise<QueueWorkerProcess> {
  const child = spawn(process.execPath, [...typeScriptLoaderArgs(), 'server/queue/queue-worker-main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      UPSTREAM_URL: inject('upstreamUrl'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('looplab queue worker ')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the queue worker exited before taking jobs:\n${output}`)));
  });
  return {
    pid: child.pid ?? -1,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A test's own producer on the queue the workers share: jobs added as the server adds them. */
export interface TestProducer {
  /** Adds a job with its own id and returns the id. */
  add(data: JobData): Promise<string>;
  job(id: string): Promise<Job<JobData> | undefined>;
  failedCount(): Promise<number>;
  close(): Promise<void>;
}

/** A producer on the run's PostgreSQL backend. */
export function testProducer(): TestProducer {
  return withQueueBackend({ kind: 'postgres', url: inject('databaseUrl') }, buildProducer);
}

function buildProducer<B extends IQueueBackend, C>(factory: BackendFactory<B, C>, connection: C): TestProducer {
  const queue = new Queue<JobData, unknown, string, JobData, unknown, string, B, C>(
    QUEUE_NAME,
    { connection },
    factory,
  );
  return {
    async add(data) {
      const jobId = `test-${randomUUID()}`;
      await queue.add(data.workload, data, { jobId });
      return jobId;
    },
    async job(id) {
      return (await queue.getJob(id)) ?? undefined;
    },
    async failedCount() {
      return (await queue.getJobCounts('failed'))['failed'] ?? 0;
    },
    close: () => queue.close(),
  };
}
