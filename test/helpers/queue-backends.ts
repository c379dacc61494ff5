import { Queue, type BackendFactory, type IQueueBackend, type JobState } from 'bullmq';
export { hasRedisServer, startRedis, type RedisServer } from '../../lib/redis-server.ts';
import { QUEUE_NAME, type JobData, type QueueBackend } from '../../contract/queue.ts';
import { withQueueBackend } from '../../lib/queue-access.ts';

/** One finished or pending job, as a test needs to see it. */
export interface SeenJob {
  data: JobData;
  state: JobState | 'unknown';
  failedReason: string | undefined;
  attemptsStarted: number;
  /** The worker that took it last (`workerName`: host and pid), if any did. */
  processedBy: string | undefined;
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
  const queue = new Queue<JobData, unknown, string, JobData, unknown, string, B, C>(
    QUEUE_NAME,
    { connection },
    factory,
  );
  return {
    counts: () => queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'),
    async find(match, states) {
      const jobs = await queue.getJobs(states);
      return Promise.all(
        jobs
          .filter((job) => job && match(job.data))
          .map(async (job) => ({
            data: job.data,
            state: await job.getState(),
            failedReason: job.failedReason,
            attemptsStarted: job.attemptsStarted,
            processedBy: job.processedBy,
          })),
      );
    },
    close: () => queue.close(),
  };
}
