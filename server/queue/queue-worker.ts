import type { EventEmitter } from 'node:events';
import {
  QueueEvents,
  UnrecoverableError,
  Worker,
  type BackendFactory,
  type IQueueBackend,
  type Job,
  type JobProgress,
} from 'bullmq';
import { CancelledJobs } from './cancelled-jobs.ts';
import { runWorkloadToOutcome } from '../offload/run-workload.ts';
import type { Registry } from '../workloads/registry.ts';
import type { ThreadClients } from '../workloads/workload.ts';
import { QUEUE_NAME, type JobData, type QueueBackend } from '../../contract/queue.ts';
import { withQueueBackend } from '../../lib/queue-access.ts';
import { CANCEL_EVENT, DEADLINE_REASON, DISCARDED_PREFIX, KEEP_AGE_SECONDS, type JobReturn } from './protocol.ts';

export interface QueueWorkerOptions {
  backend: QueueBackend;
  /** BullMQ's worker name, stamped on the jobs it takes (`job.processedBy`; see protocol.ts `workerName`). */
  name: string;
  /** This process's own clients, opened once and shared by its jobs. */
  clients: ThreadClients;
  /** The workloads it can run: the built-ins and the same WORKLOADS files as the server. */
  registry: Registry;
  /** Jobs this process runs at once (QUEUE_CONCURRENCY). */
  concurrency: number;
  /** BullMQ's lockDuration (QUEUE_LOCK_MS): a job whose worker stops renewing it for this long is stalled. */
  lockMs: number;
  /** BullMQ's stalledInterval (QUEUE_STALLED_MS): how often this worker looks for stalled jobs. */
  stalledMs: number;
  /** Completed and failed jobs kept (QUEUE_KEEP). */
  keep: number;
  onError?: (err: Error) => void;
}

export interface QueueWorker {
  /** Resolves once the worker listens for jobs and cancellations. */
  readonly ready: Promise<void>;
  /** Jobs run (or discarded) so far, for the log line at exit. */
  readonly processed: number;
  /** Waits for running jobs, then closes the worker's connections. */
  close(): Promise<void>;
}

/** A BullMQ worker that runs each job's workload in its worker form, as a pool thread would. */
export function createQueueWorker(options: QueueWorkerOptions): QueueWorker {
  return withQueueBackend(options.backend, (factory, connection) => buildQueueWorker(factory, connection, options));
}

/** Aborts when BullMQ cancels the job (its caller left) or at the job's deadline, whichever is first. */
function jobSignal(cancelled: AbortSignal | undefined, deadline: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(DEADLINE_REASON, 'TimeoutError')),
    Math.max(0, deadline - Date.now()),
  );
  const onCancel = () => controller.abort(cancelled?.reason);
  // Cancelled between BullMQ's taking the job and this call: no 'abort' event is left to come.
  if (cancelled?.aborted) onCancel();
  else cancelled?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      cancelled?.removeEventListener('abort', onCancel);
    },
  };
}

function buildQueueWorker<B extends IQueueBackend, C>(
  factory: BackendFactory<B, C>,
  connection: C,
  options: QueueWorkerOptions,
): QueueWorker {
  const { clients } = options;
  const cancelledEarly = new CancelledJobs();
  const onError = options.onError ?? ((err: Error) => console.error(`looplab queue worker: ${err.message}`));
  let processed = 0;

  async function processJob(
    job: Job<JobData, JobReturn>,
    _token?: string,
    cancelled?: AbortSignal,
  ): Promise<JobReturn> {
    processed++;
    const { workload, params, deadline } = job.data;
    const processedOn = job.processedOn ?? Date.now();
    // Nobody waits for it any more: the server answered 504 or its caller hung up. Failing it (not
    // running it) keeps the work honest; no retry, since the job has a single attempt.
    if (Date.now() >= deadline) throw new UnrecoverableError(`${DISCARDED_PREFIX}picked up after its deadline`);
    if (cancelledEarly.take(job.id ?? ''))
      throw new UnrecoverableError(`${DISCARDED_PREFIX}its caller left before it started`);
    const { signal, dispose } = jobSignal(cancelled, deadline);
    const started = performance.now();
    try {
      const outcome = await runWorkloadToOutcome(options.registry, workload, params, clients, signal);
      // Stopped half-way because its caller left: a failed job, not a completed one.
      if (signal.aborted)
        throw new UnrecoverableError(
          `cancelled: ${signal.reason instanceof Error ? signal.reason.message : String(signal.reason)}`,
        );
      return { ...outcome, waitMs: processedOn - job.timestamp, runMs: performance.now() - started };
    } finally {
      dispose();
    }
  }

  const keep = { count: options.keep, age: KEEP_AGE_SECONDS };
  const worker = new Worker<JobData, JobReturn, string, B, JobProgress, C>(
    QUEUE_NAME,
    processJob,
    {
      connection,
      name: options.name,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.stalledMs,
      // Once back in the queue after a worker died; a second stall fails the job (a job that kills
      // its worker every time must not take the whole pool down with it).
      maxStalledCount: 1,
      removeOnComplete: keep,
      removeOnFail: keep,
    },
    factory,
  );
  const cancels = new QueueEvents<JobReturn, B, C>(QUEUE_NAME, { connection }, factory);
  worker.on('error', onError);
  cancels.on('error', onError);
  // Custom events reach QueueEvents listeners by name, with the publisher's fields (BullMQ types
  // only its own event names, so this goes through the base class).
  const customEvents: EventEmitter = cancels;
  // The server's cancel reaches every worker: the one running the job aborts it; the others (and this
  // one, for a job it has not taken yet) keep the id until the job's deadline and discard it if they take it.
  customEvents.on(CANCEL_EVENT, ({ jobId, deadline }: { jobId: string; deadline?: string }) => {
    if (!worker.cancelJob(jobId, 'its caller is gone')) cancelledEarly.add(jobId, Number(deadline));
  });
  const ready = Promise.all([worker.waitUntilReady(), cancels.waitUntilReady()]).then(() => {});

  return {
    ready,
    get processed() {
      return processed;
    },
    async close() {
      await worker.close();
      await cancels.close();
    },
  };
}
