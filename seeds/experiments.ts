import { availableParallelism } from 'node:os';
import type { CpuTask } from './cpu-tasks.ts';
import type { NodeForm } from './forms.ts';
import type { PythonForm } from './published.ts';

/** A site the texts downloaded from, stood in for by the bundled upstream at this latency and size. */
export interface Site {
  readonly name: string;
  /** The text's own latency per request (the `--full` value); the default run divides it by the scale. */
  readonly latencyMs: number;
  readonly bytes: number;
}

/** One row of an experiment's table: a Node form and the Python form it answers to, if any. */
export interface Row {
  readonly form: NodeForm;
  readonly python?: PythonForm;
}

interface Common {
  readonly id: string;
  readonly tutorial: string;
  readonly title: string;
  readonly rows: readonly Row[];
  /** Where our stand-in differs from what the text ran. */
  readonly notes: readonly string[];
  /** The lesson, in one sentence: where Node agrees with the text and where it differs. */
  readonly lesson: string;
}

export interface IoExperiment extends Common {
  readonly kind: 'io';
  /** Pages are fetched from these sites in turn until `pages` have been fetched. */
  readonly sites: readonly Site[];
  readonly pages: number;
  /** In-flight limit of the bounded form; threads of the thread pool (the text's pool size). */
  readonly limit: number;
}

export interface CpuExperiment extends Common {
  readonly kind: 'cpu';
  readonly tasks: () => CpuTask[];
}

export type Experiment = IoExperiment | CpuExperiment;

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const IO_ROWS: readonly Row[] = [
  { form: 'sync-client', python: 'sync' },
  { form: 'sequential-await' },
  { form: 'promise-all', python: 'asyncio' },
  { form: 'bounded' },
  { form: 'thread-pool', python: 'threads' },
  { form: 'process-pool', python: 'processes' },
];

const CPU_ROWS: readonly Row[] = [
  { form: 'sequential', python: 'sync' },
  { form: 'promise-all', python: 'threads' },
  { form: 'thread-pool' },
  { form: 'process-pool', python: 'processes' },
];

const IO_LESSON =
  'Node agrees that overlapping the waits is what pays, and gets it for free: Promise.all needs no pool, a ' +
  'thread pool overlaps only as many waits as it has threads, and a process pool pays its start-up on top.';

/** Every experiment, in the order the report shows them. Page sizes are ours where a text prints none. */
export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'realpython-io',
    tutorial: '002',
    title: 'Download 160 pages, two sites × 80, one session reused',
    kind: 'io',
    // 14.3 s over 160 pages: about 89 ms a page on the author's network.
    sites: [
      { name: 'www.jython.org', latencyMs: 89, bytes: 10_000 },
      { name: 'olympus.realpython.org/dice', latencyMs: 89, bytes: 1_000 },
    ],
    pages: 160,
    limit: 5,
    rows: IO_ROWS,
    notes: [
      'Latency 89 ms a page is the text’s 14.3 s sequential time over 160 pages; the text prints no page sizes, so 10 kB and 1 kB stand in.',
    ],
    lesson: IO_LESSON,
  },
  {
    id: 'testdriven-io',
    tutorial: '001',
    title: '100 GETs of an echo endpoint (httpbin.org/ip)',
    kind: 'io',
    sites: [{ name: 'httpbin.org/ip', latencyMs: 160, bytes: 32 }],
    pages: 100,
    limit: Math.min(32, availableParallelism() + 4),
    rows: IO_ROWS,
    notes: [
      'Latency 160 ms is the text’s own “roughly 0.16 seconds per request”; 32 bytes is the size of an /ip answer.',
      'The thread pool has min(32, CPUs + 4) threads, ThreadPoolExecutor’s default; the text’s thread-per-request run (1.02 s) is listed below the table.',
    ],
    lesson: IO_LESSON,
  },
  {
    id: 'javatpoint-io',
    tutorial: '000',
    title: 'Download 80 pages, one session reused',
    kind: 'io',
    sites: [{ name: 'a site (the text reuses Real Python’s example)', latencyMs: 89, bytes: 10_000 }],
    pages: 80,
    limit: 5,
    rows: IO_ROWS,
    notes: ['The text prints no sequential time; the latency is Real Python’s, whose example it follows.'],
    lesson: IO_LESSON,
  },
  {
    id: 'dev-io',
    tutorial: '004',
    title: 'Fetch 3 pages of different sizes',
    kind: 'io',
    // 1.58 s for three pages: about 525 ms each; the sizes are the lengths the text printed.
    sites: [
      { name: 'wannahack.in', latencyMs: 525, bytes: 7_699 },
      { name: 'docs.python.org/3/library/asyncio.html', latencyMs: 525, bytes: 20_875 },
      { name: 'www.google.com', latencyMs: 525, bytes: 19_252 },
    ],
    pages: 3,
    limit: 3,
    rows: [
      { form: 'sync-client', python: 'sync' },
      { form: 'sequential-await' },
      { form: 'promise-all', python: 'asyncio' },
    ],
    notes: ['Latency 525 ms a page is the text’s 1.58 s sequential time over 3 pages.'],
    lesson:
      'With three requests the whole gain is the overlap: Promise.all takes about as long as the slowest page, as asyncio.gather did.',
  },
  {
    id: 'realpython-cpu',
    tutorial: '002',
    title: 'Sum of squares below n, for n = 5,000,000 + x, x = 0…19',
    kind: 'cpu',
    tasks: () => range(0, 20).map((x) => ({ fn: 'sumOfSquares', n: 5_000_000 + x })),
    rows: CPU_ROWS,
    notes: ['The Promise.all row answers to the text’s threading run: both put concurrency, not cores, on CPU work.'],
    lesson:
      'As in Python, async wrappers add nothing to CPU work and only more cores help; unlike Python, Node’s threads ' +
      'are such cores, with no GIL, so a worker pool does what only processes could.',
  },
  {
    id: 'testdriven-cpu',
    tutorial: '001',
    title: 'Prime sieve up to n, for n = 1,000 … 15,999',
    kind: 'cpu',
    tasks: () => range(1_000, 16_000).map((n) => ({ fn: 'primes', n })),
    rows: CPU_ROWS,
    notes: [
      'The text ran Pool(CPUs − 1); the Node pools have one thread or process per CPU. Its ProcessPoolExecutor run is listed below the table.',
    ],
    lesson:
      'Fifteen thousand small tasks: a pool helps only when the tasks travel in chunks, as Pool.starmap sends them, so the messages do not eat the gain.',
  },
  {
    id: 'guide-sum',
    tutorial: '003',
    title: 'Sum of squares for n = 10M, 20M, 30M, 40M',
    kind: 'cpu',
    tasks: () => [10_000_000, 20_000_000, 30_000_000, 40_000_000].map((n) => ({ fn: 'sumOfSquares', n })),
    rows: CPU_ROWS,
    notes: ['The text publishes no times: Node’s column stands alone.'],
    lesson:
      'Four unequal tasks on two cores: the pool ends when its longest share does, so the gain is below the core count.',
  },
  {
    id: 'guide-matrix',
    tutorial: '003',
    title: 'Row-wise product of two 1000 × 1000 matrices',
    kind: 'cpu',
    tasks: () => range(0, 1_000).map((row) => ({ fn: 'matrixRow', n: 1_000, row })),
    rows: CPU_ROWS,
    notes: [
      'The text sends both matrices with every row (numpy, pickled); here each thread and process builds the same two matrices once, so nothing large travels.',
    ],
    lesson:
      'Rows that need nothing from each other are what a pool is made for: in Node as in Python, the gain can ' +
      'approach one step per core, once the pool has started.',
  },
];

/** The batch of an I/O experiment as upstream paths, latencies divided by `scale` (at least 1 ms). */
export function ioPaths(experiment: IoExperiment, scale: number): string[] {
  return Array.from({ length: experiment.pages }, (_, i) => {
    const site = experiment.sites[i % experiment.sites.length] as Site;
    return `/delay/${scaledLatency(site.latencyMs, scale)}?bytes=${site.bytes}`;
  });
}

export function scaledLatency(latencyMs: number, scale: number): number {
  return Math.max(1, Math.round(latencyMs / scale));
}
