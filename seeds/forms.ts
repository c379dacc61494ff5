/**
 * The Node forms a batch runs in, each named once with what it answers to in the Python texts.
 * `sequential` is the baseline every ratio is taken against: for I/O, a plain loop over a genuinely
 * synchronous client (Python's loop over `requests`); for CPU, a plain loop.
 */
export const NODE_FORMS = {
  'sync-client': {
    label: 'sequential, synchronous client',
    doc: 'a plain loop over a client that blocks the thread on each call (helper thread + Atomics.wait)',
  },
  sequential: { label: 'sequential loop', doc: 'a plain loop on the main thread' },
  'sequential-await': {
    label: 'sequential await',
    doc: 'a loop that awaits each call before making the next: async code, no overlap',
  },
  'promise-all': { label: 'Promise.all', doc: 'every item started at once, awaited together (asyncio.gather)' },
  bounded: {
    label: 'bounded Promise.all',
    doc: 'at most k items in flight, a semaphore (asyncio.Semaphore around gather)',
  },
  'thread-pool': {
    label: 'worker_threads pool',
    doc: 'a piscina pool, one item at a time per thread, a client per thread (ThreadPoolExecutor)',
  },
  'process-pool': {
    label: 'child_process pool',
    doc: 'forked Node processes, items sent in chunks as Pool.map does, a client per process (multiprocessing.Pool)',
  },
} as const;

export type NodeForm = keyof typeof NODE_FORMS;

/** Forms that start a pool; their start-up is timed apart from the batch and shown beside it. */
export const POOLED_FORMS: ReadonlySet<NodeForm> = new Set(['thread-pool', 'process-pool']);
