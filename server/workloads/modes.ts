import type { Concurrency, CpuThreads } from '../../contract/bound.ts';
import { MODES, type Mode } from '../../contract/modes.ts';

/** What each mode (contract/modes.ts) means, for the index and for the harness's bounds. */

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

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
