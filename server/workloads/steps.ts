import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A CPU task written once as a generator that yields between slices of work. Running it straight
 * through is the blocking (and worker) form; {@link runCooperatively} is the async form. Sharing the
 * code is what guarantees every mode computes the same result.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every slice at once, holding the thread until the result is ready. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs one slice per event-loop turn. `setImmediate` (not a microtask) is what lets timers, I/O and
 * other requests in between: this is cooperative multitasking, and it makes the work no faster.
 */
export async function runCooperatively<T>(steps: Steps<T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    signal?.throwIfAborted();
    await nextTurn();
  }
}
