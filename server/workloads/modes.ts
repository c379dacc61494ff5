/**
 * The modes a workload can run in, and what each means for the index and for the harness's bounds.
 * The list is open on purpose: a new mode (a job queue, say) is one entry here plus its runner in
 * the workload route, and every list the index, the bounds and the harness show follows from it.
 */
export const MODES = ['blocking', 'async', 'worker'] as const;
export type Mode = (typeof MODES)[number];

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

/**
 * How many requests can be in progress at once in a mode, for a bound by Little's law: `one` (the
 * event-loop thread serves one at a time), `connections` (every open connection), `workers`
 * (min(connections, pool threads)).
 */
export type Concurrency = 'one' | 'connections' | 'workers';

/** Which threads can run a mode's CPU work at once: the event-loop thread, libuv's pool or the worker pool. */
export type CpuThreads = 'loop' | 'libuv' | 'workers';

export interface ModeTraits {
  /** What the mode means, for every workload (the index's `modes`). */
  readonly description: string;
  readonly concurrency: Concurrency;
  /** For CPU work; `async` becomes `libuv` when a workload's bound model says its async form runs there. */
  readonly cpuThreads: CpuThreads;
}

export const MODE_TRAITS: Readonly<Record<Mode, ModeTraits>> = {
  blocking: {
    description:
      'the event-loop thread does the work (or waits for the I/O) synchronously and serves nothing else meanwhile',
    concurrency: 'one',
    cpuThreads: 'loop',
  },
  async: {
    description: 'non-blocking APIs awaited on the event loop',
    concurrency: 'connections',
    cpuThreads: 'loop',
  },
  worker: {
    description: 'the work runs in a worker_threads pool (piscina); each worker holds its own clients',
    concurrency: 'workers',
    cpuThreads: 'workers',
  },
};
