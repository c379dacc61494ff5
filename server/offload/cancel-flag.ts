/**
 * A per-task cancel flag shared between the event-loop thread and the pool worker running the task:
 * a 4-byte SharedArrayBuffer that travels inside the task (structured clone shares it, no copy).
 *
 * It exists for WORKER_CONCURRENCY > 1. piscina cancels a running task by terminating its thread,
 * which is right when the thread runs that one task, but would fail every other task sharing it. With
 * the flag, a deadline or a client hang-up aborts only that task's AbortSignal inside the worker, and
 * its query or upstream call is cancelled there; the thread and its neighbours go on.
 */
const RUNNING = 0;
const CANCELLED = 1;
const FINISHED = 2;

/** `Atomics.waitAsync` (ES2024; in V8 since Node 16), typed here because the project's lib is ES2023. */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export function createCancelFlag(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

/** Event-loop thread: cancel the task (no effect once it finished). */
export function raiseCancelFlag(flag: SharedArrayBuffer): void {
  const state = new Int32Array(flag);
  if (Atomics.compareExchange(state, 0, RUNNING, CANCELLED) === RUNNING) Atomics.notify(state, 0);
}

/** The task was cancelled by its caller (deadline or hang-up) while it ran in a worker. */
export class TaskCancelledError extends Error {
  override name = 'AbortError';
  readonly code = 'TASK_CANCELLED';
  constructor() {
    super('the task was cancelled by its caller');
  }
}

/**
 * Worker thread: an AbortSignal that aborts when the flag is raised — at once if it was raised while
 * the task waited in the queue. `finish()` must be called when the task ends: it wakes the pending
 * wait so nothing stays behind.
 */
export function watchCancelFlag(flag: SharedArrayBuffer): { signal: AbortSignal; finish(): void } {
  const state = new Int32Array(flag);
  const controller = new AbortController();
  const abortIfCancelled = () => {
    if (Atomics.load(state, 0) === CANCELLED) controller.abort(new TaskCancelledError());
  };
  const wait = waitAsync(state, 0, RUNNING);
  if (wait.async) void wait.value.then(abortIfCancelled);
  else abortIfCancelled();
  return {
    signal: controller.signal,
    finish() {
      if (Atomics.compareExchange(state, 0, RUNNING, FINISHED) === RUNNING) Atomics.notify(state, 0);
    },
  };
}
