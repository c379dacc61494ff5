import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { Queue, QueueEvents, QueueEventsProducer, type BackendFactory, type IQueueBackend } from 'bullmq';
import { OverloadError } from '../protection/overload.ts';
import { RemoteError } from '../offload/error-data.ts';
import type { WorkResult } from '../workloads/workload.ts';
import { QueueJobFailedError, QueueUnavailableError } from './errors.ts';
import { QUEUE_NAME, type JobData, type QueueBackend } from '../../contract/queue.ts';
import { withQueueBackend } from '../../lib/queue-access.ts';
import { CANCEL_EVENT, DEADLINE_REASON, DISCARDED_PREFIX, KEEP_AGE_SECONDS, type JobReturn } from './protocol.ts';

/** The BullMQ side of `queue` mode in the server: enqueue, await the result, clean up after a caller that left. */
export interface JobQueue {
  /**
   * Enqueues the workload and resolves with its result, or rejects when `signal` aborts (the job is
   * then cancelled: by the worker running it, or by the first one to take it).
   * @param deadline epoch ms after which a worker must not start the job.
   * @throws OverloadError when this server already has `maxInFlight` jobs in the queue.
   */
  run(
    workload: string,
    params: Record<string, number | string>,
    signal: AbortSignal,
    deadline: number,
  ): Promise<WorkResult>;
  /** A round trip to the backend, for `/ready`. */
  ping(): Promise<void>;
  readonly backend: QueueBackend['kind'];
  /** Jobs this server has in the queue (waiting or running), at most `maxInFlight`. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export interface JobTiming {
  workload: string;
  waitMs: number;
  runMs: number;
}

export interface JobQueueOptions {
  backend: QueueBackend;
  maxInFlight: number;
  /** Completed (and failed) jobs kept in the backend, newest first (QUEUE_KEEP). */
  keep: number;
  /** Called with where each finished job's time went (queue wait, run). */
  onTiming?: (timing: JobTiming) => void;
  /** Connection errors of the BullMQ objects (they reconnect by themselves); default: stderr. */
  onError?: (err: Error) => void;
}

/** How often a job whose end event has not come has its state read instead (see `finished`). */
const RECHECK_MS = 1000;

/** A job its worker discarded or cancelled at the request's deadline (queue-worker.ts's reasons). */
function endedAtDeadline(err: unknown): boolean {
  return (
    err instanceof QueueJobFailedError &&
    (err.message.startsWith(DISCARDED_PREFIX) || err.message.includes(DEADLINE_REASON))
  );
}

export function createJobQueue(options: JobQueueOptions): JobQueue {
  return withQueueBackend(options.backend, (factory, connection) => buildJobQueue(factory, connection, options));
}

function buildJobQueue<B extends IQueueBackend, C>(
  factory: BackendFactory<B, C>,
  connection: C,
  options: JobQueueOptions,
): JobQueue {
  const { maxInFlight, onTiming } = options;
  const onError = options.onError ?? ((err: Error) => console.error(`looplab: queue: ${err.message}`));
  const keep = { count: options.keep, age: KEEP_AGE_SECONDS };
  const queue = new Queue<JobData, JobReturn, string, JobData, JobReturn, string, B, C>(
    QUEUE_NAME,
    { connection },
    factory,
  );
  const events = new QueueEvents<JobReturn, B, C>(QUEUE_NAME, { connection }, factory);
  const producer = new QueueEventsProducer<B, C>(QUEUE_NAME, { connection }, factory);
  // BullMQ types only its own event names; the per-job ones (`completed:<id>`) go through the base class.
  const perJob: EventEmitter = events;
  queue.on('error', onError);
  events.on('error', onError);
  producer.on('error', onError);
  const ready = Promise.all([queue.waitUntilReady(), events.waitUntilReady(), producer.waitUntilReady()]);
  ready.catch(() => {}); // surfaced by ping and run
  let inFlight = 0;

  /**
   * Listens for the job's end before it is added, so no event is missed for want of a listener, and
   * reads the job's state only as a fallback for an event the backend dropped (below), not as
   * `job.waitUntilFinished` does on every call (which also races `removeOnComplete`).
   */
  function finished(jobId: string) {
    let stop = () => {};
    const done = new Promise<JobReturn>((resolve, reject) => {
      const onCompleted = ({ returnvalue }: { returnvalue: JobReturn }) => {
        stop();
        resolve(returnvalue);
      };
      const onFailed = ({ failedReason }: { failedReason: string }) => {
        stop();
        reject(new QueueJobFailedError(failedReason));
      };
      perJob.on(`completed:${jobId}`, onCompleted);
      perJob.on(`failed:${jobId}`, onFailed);
      // BullMQ 6.7's PostgreSQL backend can drop an event for good: QueueEvents reads `event.id >
      // cursor`, the ids come from a sequence, and an event whose transaction commits after one with
      // a higher id is skipped. The fault run's worker-kill drill lost 3–15 % of completions that way
      // (2 workers × 32 jobs, 20 req/s), each a 504 at the deadline for a job done in 0.5 s. So while
      // no event has come, the job's own state is read every RECHECK_MS.
      const recheck = setInterval(() => void readEnd().catch(() => {}), RECHECK_MS);
      recheck.unref();
      const readEnd = async () => {
        const state = await queue.getJobState(jobId);
        if (state !== 'completed' && state !== 'failed') return;
        const job = await queue.getJob(jobId);
        if (!job) return; // trimmed (QUEUE_KEEP) before it was read: the deadline answers
        if (state === 'completed') onCompleted({ returnvalue: job.returnvalue });
        else onFailed({ failedReason: job.failedReason });
      };
      stop = () => {
        clearInterval(recheck);
        perJob.off(`completed:${jobId}`, onCompleted);
        perJob.off(`failed:${jobId}`, onFailed);
      };
    });
    return { done, stop };
  }

  /**
   * The caller is gone: every queue worker is told to cancel the job, the one running it at once and
   * any other before it starts it (queue-worker.ts), so it ends failed, "cancelled: …" or "discarded: …".
   * The server never deletes it itself. BullMQ's PostgreSQL backend checks a job's lock in `remove()`
   * without locking its row, so a remove that met a worker's claim still being committed deleted the job
   * under that worker, which then logged "Missing key for job … moveToFinished" (test: e2e-queue-claim-race).
   * Resolves once the job has ended, or at its deadline, after which no worker runs it: until then it
   * still holds its place in the queue, and counts in `inFlight`.
   */
  async function abandon(jobId: string, added: Promise<boolean>, ended: Promise<unknown>, deadline: number) {
    if (!(await added.catch(() => false))) return;
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed' || state === 'unknown') return;
    await producer.publishEvent({ eventName: CANCEL_EVENT, jobId, deadline: String(deadline) });
    let timer: NodeJS.Timeout | undefined;
    const pastDeadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    });
    await Promise.race([ended.catch(() => {}), pastDeadline]);
    clearTimeout(timer);
  }

  async function run(
    workload: string,
    params: Record<string, number | string>,
    signal: AbortSignal,
    deadline: number,
  ): Promise<WorkResult> {
    if (inFlight >= maxInFlight) throw new OverloadError('BullMQ');
    inFlight++;
    const jobId = randomUUID();
    const { done, stop } = finished(jobId);
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const added = ready
      .then(() =>
        queue.add(workload, { workload, params, deadline }, { jobId, removeOnComplete: keep, removeOnFail: keep }),
      )
      .then(
        () => true,
        (err: unknown) => {
          throw new QueueUnavailableError(err);
        },
      );
    try {
      // A worker ends the job at the same deadline as this request; under load its failure can
      // arrive before this server's own timer fires, which answered 500 for what is a 504 (issue
      // 14). Such a failure waits for the request's own deadline, which is at most moments away.
      const ran = added
        .then(() => done)
        .catch((err: unknown) => (endedAtDeadline(err) ? aborted : Promise.reject(err)));
      const outcome = await Promise.race([ran, aborted]);
      onTiming?.({ workload, waitMs: outcome.waitMs, runMs: outcome.runMs });
      if (!outcome.ok) throw new RemoteError(outcome.error);
      return outcome.result;
    } finally {
      signal.removeEventListener('abort', onAbort);
      done.catch(() => {});
      if (signal.aborted) {
        // Counted until the job has left the queue: it occupies it until then.
        void abandon(jobId, added, done, deadline)
          .catch(onError)
          .finally(() => {
            stop();
            inFlight--;
          });
      } else {
        stop();
        inFlight--;
      }
    }
  }

  return {
    run,
    async ping() {
      await ready;
      await queue.getJobCounts('waiting');
    },
    backend: options.backend.kind,
    get inFlight() {
      return inFlight;
    },
    maxInFlight,
    async close() {
      await Promise.allSettled([producer.close(), events.close(), queue.close()]);
    },
  };
}
