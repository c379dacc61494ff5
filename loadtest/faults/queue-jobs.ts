import { Queue, type BackendFactory, type IQueueBackend } from 'bullmq';
import { QUEUE_NAME, type JobData, type QueueBackend } from '../../contract/queue.ts';
import { withQueueBackend } from '../../lib/queue-access.ts';

/** One job as the worker-kill drill reads it back from BullMQ (epoch-ms times on the backend's clock). */
export interface JobRecord {
  id: string;
  state: string;
  /** Times a worker took it: 2 once the stalled check put it back and another worker ran it. */
  attemptsStarted: number;
  /** Times BullMQ's stalled check found it held by a worker that stopped renewing its lock. */
  stalledCounter: number;
  processedBy: string | undefined;
  /** When it was enqueued. */
  timestamp: number;
  /** When a worker last took it. */
  processedOn: number | undefined;
  finishedOn: number | undefined;
}

/** The drill's own look into the queue the server and its workers share. */
export interface QueueJobs {
  /** Ids of the active jobs a worker (by its BullMQ name) holds now. */
  heldBy(workerName: string): Promise<string[]>;
  /** Each job by id, or none where the backend no longer has it. */
  read(ids: readonly string[]): Promise<JobRecord[]>;
  /** Finished jobs enqueued at or after `since` (epoch ms) that stalled at least once. */
  stalledSince(since: number): Promise<JobRecord[]>;
  close(): Promise<void>;
}

export function openQueueJobs(backend: QueueBackend): QueueJobs {
  return withQueueBackend(backend, (factory, connection) => buildQueueJobs(factory, connection));
}

function buildQueueJobs<B extends IQueueBackend, C>(factory: BackendFactory<B, C>, connection: C): QueueJobs {
  const queue = new Queue<JobData, unknown, string, JobData, unknown, string, B, C>(
    QUEUE_NAME,
    { connection },
    factory,
  );
  queue.on('error', (err) => console.error(`loadtest: queue: ${err.message}`));
  type Job = NonNullable<Awaited<ReturnType<typeof queue.getJob>>>;
  const record = async (job: Job): Promise<JobRecord> => ({
    id: job.id ?? '',
    state: await job.getState(),
    attemptsStarted: job.attemptsStarted,
    stalledCounter: job.stalledCounter,
    processedBy: job.processedBy,
    timestamp: job.timestamp,
    processedOn: job.processedOn,
    finishedOn: job.finishedOn,
  });
  return {
    async heldBy(workerName) {
      const active = await queue.getJobs(['active']);
      return active.filter((job) => job?.processedBy === workerName).map((job) => job.id ?? '');
    },
    async read(ids) {
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      return Promise.all(jobs.filter((job): job is Job => job !== undefined && job !== null).map(record));
    },
    async stalledSince(since) {
      const finished = await queue.getJobs(['completed', 'failed']);
      return Promise.all(finished.filter((job) => job && job.timestamp >= since && job.stalledCounter > 0).map(record));
    },
    close: () => queue.close(),
  };
}
