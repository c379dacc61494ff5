import { Piscina } from 'piscina';
import type { ErrorCode } from '../../lib/error-codes.ts';
import type { WorkResult } from '../workloads/workload.ts';
import { OverloadError } from '../protection/overload.ts';
import { createCancelFlag, raiseCancelFlag } from './cancel-flag.ts';
import { RemoteError } from './error-data.ts';
import { siblingFile } from '../../lib/loader-args.ts';
import type { PoolOutcome, WorkerSettings, WorkerTask } from './worker-protocol.ts';
import { ThreadMemoryRecord } from './thread-memory.ts';

/** The piscina pool behind `worker` mode. */
export interface WorkerPool {
  run(workload: string, params: Record<string, number | string>, signal?: AbortSignal): Promise<WorkResult>;
  /**
   * A no-op round trip. It takes no signal on purpose: cancelling it through piscina would end the
   * thread, and a thread still loading its code would then be ended at every readiness check that
   * timed out, never to become ready. The caller stops waiting on its own deadline instead.
   */
  ping(): Promise<void>;
  readonly threads: number;
  readonly queueSize: number;
  /** Share of the pool's capacity spent running tasks since it started, 0..1 (piscina's figure, its unit mended). */
  readonly utilization: number;
  /** Each thread's own memory as of its last task (thread-memory.ts): threads reporting, mean and largest, bytes. */
  threadMemory(): { threads: number; meanBytes: number; maxBytes: number };
  close(): Promise<void>;
}

export interface WorkerPoolOptions extends WorkerSettings {
  threads: number;
  /** Tasks each thread runs at once (piscina's concurrentTasksPerWorker); default 1. */
  concurrency?: number;
  /** Tasks that may wait for a free thread; one more is refused with OverloadError. */
  maxQueue: number;
  /** The worker entry file; tests swap in one that can be made to crash. */
  entry?: URL;
}

/** A worker thread died while running the task (it threw outside the task, or was killed). */
export class WorkerCrashError extends Error {
  override name = 'WorkerCrashError';
  readonly code = 'WORKER_CRASHED' satisfies ErrorCode;
  constructor(cause: unknown) {
    super('a worker thread failed while running the task', { cause });
  }
}

/** piscina's own errors for a full queue (its Errors.TaskQueueAtLimit / NoTaskQueueAvailable). */
const QUEUE_FULL_MESSAGES = new Set(['Task queue is at limit', 'No task queue available and all Workers are busy']);

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { threads, maxQueue, entry, concurrency = 1, ...settings } = options;
  // One task per thread: cancel through piscina, which ends the thread — the only way to stop CPU work
  // that never yields. Several per thread: ending it would fail the neighbours, so cancel in the worker.
  const cancelInWorker = concurrency > 1;
  const threadMemory = new ThreadMemoryRecord();
  const piscina = new Piscina<WorkerTask, PoolOutcome>({
    filename: (entry ?? siblingFile(import.meta.url, './worker-boot.cjs')).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue,
    // By default one task at a time per thread, as a thread pool in the seed tutorials does; I/O tasks
    // that wait still hold their thread, which is exactly the cost of offloading I/O that looplab shows.
    // WORKER_CONCURRENCY > 1 lets a thread interleave several awaiting tasks.
    concurrentTasksPerWorker: concurrency,
    // Workers hold DB pools and agents with timers and sockets: let their event loops run between tasks.
    atomics: 'disabled',
    workerData: settings,
  });

  // A thread piscina ended (crashed, or cancelled with its task) reports no more: its last figure goes.
  // piscina 5 hands listeners its worker's interface, whose `id` is the thread's id; it is read while the
  // thread is being terminated, before Node sets it to -1 at the thread's exit.
  piscina.on('workerDestroy', (worker: { id?: number }) => {
    if (worker.id !== undefined && worker.id >= 0) threadMemory.forget(worker.id);
  });

  async function submit(task: WorkerTask, signal?: AbortSignal): Promise<WorkResult> {
    // piscina 5 keeps tasks that carry an AbortSignal in a separate queue its own maxQueue does not
    // count, so the bound is enforced here, on the number of tasks waiting for a thread.
    if (piscina.queueSize >= maxQueue) throw new OverloadError('worker pool');
    if (cancelInWorker && signal && task.kind === 'run') return submitCancellableInWorker(task, signal);
    return settle(piscina.run(task, signal ? { signal } : {}), signal);
  }

  async function submitCancellableInWorker(
    task: WorkerTask & { kind: 'run' },
    signal: AbortSignal,
  ): Promise<WorkResult> {
    const cancel = createCancelFlag();
    const onAbort = () => raiseCancelFlag(cancel);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await settle(piscina.run({ ...task, cancel }), signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function settle(running: Promise<PoolOutcome>, signal: AbortSignal | undefined): Promise<WorkResult> {
    const outcome = await running.catch((err: unknown) => {
      if (err instanceof Error && QUEUE_FULL_MESSAGES.has(err.message)) throw new OverloadError('worker pool');
      if (signal?.aborted) throw err; // cancelled on purpose: the caller knows why
      // Task errors come back as outcomes; a rejection here means the thread itself died. piscina
      // replaces it; the caller gets a 500 that says so.
      throw new WorkerCrashError(err);
    });
    threadMemory.note(outcome.thread);
    if (!outcome.ok) throw new RemoteError(outcome.error);
    return outcome.result;
  }

  return {
    run: (workload, params, signal) => submit({ kind: 'run', workload, params }, signal),
    ping: async () => {
      await submit({ kind: 'ping' });
    },
    threads,
    get queueSize() {
      return piscina.queueSize;
    },
    get utilization() {
      // piscina 5.3's figure is 1000 times too small: it divides the tasks' run time, already in ms,
      // by 1000 once more before dividing by the capacity in ms. Its formula otherwise stands: the
      // tasks' run time over (time since the pool started × threads). If piscina fixes the unit this
      // reads above 1, and test/worker-pool-utilization-metric.test.ts fails.
      return piscina.utilization * 1000;
    },
    threadMemory: () => threadMemory.summary(),
    close: () => piscina.destroy(),
  };
}

/**
 * A WORKLOADS file can load in the main thread and still fail in every worker thread (it needs the main
 * thread, or something only the main thread set up): worker mode and `/ready` then stay unavailable for
 * the process's life, and `/ready` never carries the message. So one task is sent at start, and when
 * the threads cannot load the files the reason is one line on stderr, seconds after start rather than
 * never. Only for a pool given WORKLOADS files: the built-ins load wherever the server does.
 */
export function sayWhyThreadsCannotLoad(pool: WorkerPool): void {
  pool.ping().catch((err: unknown) => {
    if (!(err instanceof RemoteError) || err.name !== 'WorkloadFileError') return;
    console.error(
      `looplab: the worker threads cannot load a workload file, so worker mode and /ready stay unavailable: ${err.message}`,
    );
  });
}
