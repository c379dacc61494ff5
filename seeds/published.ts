/**
 * The Python tutorials' own published wall times, as data: each figure with the text, the section it
 * appears in and the line the text printed. The report reads its "Python" columns from here and nowhere
 * else. A figure of `null` prints as "—" with its note: a text that publishes no time for a form, or a
 * time that cannot be right.
 */

/** The Python forms the texts compare. */
export type PythonForm = 'sync' | 'threads' | 'threads-per-task' | 'asyncio' | 'processes' | 'processes-executor';

export interface Tutorial {
  readonly id: string;
  readonly title: string;
  readonly site: string;
}

export interface PublishedFigure {
  readonly form: PythonForm;
  /** What the text ran, in our words (pool size, library). */
  readonly label: string;
  /** Wall time in seconds as printed, or null when there is none to compare. */
  readonly seconds: number | null;
  readonly section: string;
  /** The line the text printed, or why there is no figure. */
  readonly source: string;
  readonly note?: string;
}

export interface PublishedExperiment {
  readonly tutorial: string;
  readonly figures: readonly PublishedFigure[];
}

export const TUTORIALS: Readonly<Record<string, Tutorial>> = {
  '000': { id: '000', title: 'Make Python Program Faster using Concurrency', site: 'Javatpoint' },
  '001': {
    id: '001',
    title: 'Parallelism, Concurrency, and AsyncIO in Python - by example',
    site: 'testdriven.io (Amal Shaji, updated 12 October 2020)',
  },
  '002': { id: '002', title: 'Speed Up Your Python Program With Concurrency', site: 'Real Python' },
  '003': {
    id: '003',
    title: 'a comprehensive guide to concurrency in Python (untitled in the stored copy)',
    site: 'blog post',
  },
  '004': { id: '004', title: "Python's Concurrency", site: 'DEV Community (Ivan Zakutnii)' },
};

const NONE = 'the text publishes no time for this form';

/** Keyed by experiment id (seeds/experiments.ts). */
export const PUBLISHED: Readonly<Record<string, PublishedExperiment>> = {
  'realpython-io': {
    tutorial: '002',
    figures: [
      {
        form: 'sync',
        label: 'requests, one Session, a plain loop',
        seconds: 14.289619207382202,
        section: 'How to Speed Up an I/O-Bound Program › Synchronous Version',
        source: 'Downloaded 160 in 14.289619207382202 seconds',
        note: 'fastest of three runs; the author saw 14.2 to 21.9 s',
      },
      {
        form: 'threads',
        label: 'ThreadPoolExecutor, 5 threads, a Session per thread',
        seconds: 3.7238826751708984,
        section: 'How to Speed Up an I/O-Bound Program › threading Version',
        source: 'Downloaded 160 in 3.7238826751708984 seconds',
        note: 'the author found 5 to 10 threads fastest',
      },
      {
        form: 'asyncio',
        label: 'aiohttp, one task per page, gather',
        seconds: 2.5727896690368652,
        section: 'How to Speed Up an I/O-Bound Program › asyncio Version',
        source: 'Downloaded 160 in 2.5727896690368652 seconds',
      },
      {
        form: 'processes',
        label: 'multiprocessing.Pool (one process per CPU), a Session per process',
        seconds: 5.718175172805786,
        section: 'How to Speed Up an I/O-Bound Program › multiprocessing Version',
        source: 'Downloaded 160 in 5.718175172805786 seconds',
      },
    ],
  },
  'testdriven-io': {
    tutorial: '001',
    figures: [
      {
        form: 'sync',
        label: 'requests.get in a loop',
        seconds: 15.710984757,
        section: 'IO-bound Operation › Sync Example',
        source: 'Elapsed run time: 15.710984757 seconds.',
        note: 'the text: roughly 0.16 s per request',
      },
      {
        form: 'threads-per-task',
        label: 'one threading.Thread per request (100)',
        seconds: 1.020112515,
        section: 'IO-bound Operation › Threading Example',
        source: 'Elapsed run time: 1.020112515 seconds.',
      },
      {
        form: 'threads',
        label: 'ThreadPoolExecutor, default size min(32, CPUs + 4)',
        seconds: 1.340592231,
        section: 'IO-bound Operation › Threading Example (concurrent.futures)',
        source: 'Elapsed run time: 1.340592231 seconds',
      },
      {
        form: 'asyncio',
        label: 'httpx.AsyncClient, gather',
        seconds: 0.553961068,
        section: 'IO-bound Operation › AsyncIO Example',
        source: 'Elapsed run time: 0.553961068 seconds',
      },
      { form: 'processes', label: 'not run', seconds: null, section: '—', source: NONE },
    ],
  },
  'javatpoint-io': {
    tutorial: '000',
    figures: [
      {
        form: 'sync',
        label: 'requests, one Session, a plain loop',
        seconds: null,
        section: 'How to Speed Up an I/O-Bound Program › Synchronous Version',
        source: 'the section shows the program but prints no time',
        note: 'with no sequential time, no Python ratio can be formed',
      },
      {
        form: 'threads',
        label: 'ThreadPoolExecutor, a Session per thread',
        seconds: null,
        section: 'Threading Version › Advantage of using thread',
        source: 'Downloaded 80 in 0.010993480682373047 seconds',
        note: '0.011 s for 80 downloads is 0.14 ms each, faster than any network round trip: not credible',
      },
      {
        form: 'asyncio',
        label: 'aiohttp, one task per page, gather',
        seconds: 1.6838884353637695,
        section: 'Asyncio Version › Advantage of asyncio',
        source: 'Downloaded 80 sites in 1.6838884353637695 seconds',
      },
      {
        form: 'processes',
        label: 'multiprocessing.Pool, a Session per process',
        seconds: 11.359532356262207,
        section: 'Multiprocessing Version › Disadvantage of multiprocessing Version',
        source: 'Downloaded 80 in 11.359532356262207 seconds',
      },
    ],
  },
  'dev-io': {
    tutorial: '004',
    figures: [
      {
        form: 'sync',
        label: 'requests.get for 3 sites in a loop',
        seconds: 1.5766408443450928,
        section: 'Choosing Between Threads and Asyncio (the requests example)',
        source: 'Total duration: 1.5766408443450928',
      },
      {
        form: 'asyncio',
        label: 'aiohttp, gather',
        seconds: 0.5765419006347656,
        section: 'Choosing Between Threads and Asyncio (the aiohttp example)',
        source: 'Total duration: 0.5765419006347656',
      },
    ],
  },
  'realpython-cpu': {
    tutorial: '002',
    figures: [
      {
        form: 'sync',
        label: 'a plain loop',
        seconds: 7.834432125091553,
        section: 'How to Speed Up a CPU-Bound Program › CPU-Bound Synchronous Version',
        source: 'Duration 7.834432125091553 seconds',
      },
      {
        form: 'threads',
        label: 'threading (the GIL lets one thread run at a time)',
        seconds: 10.407078266143799,
        section: 'How to Speed Up a CPU-Bound Program › threading and asyncio Versions',
        source: 'Duration 10.407078266143799 seconds',
      },
      {
        form: 'processes',
        label: 'multiprocessing.Pool, one process per CPU',
        seconds: 2.5175397396087646,
        section: 'How to Speed Up a CPU-Bound Program › CPU-Bound multiprocessing Version',
        source: 'Duration 2.5175397396087646 seconds',
      },
    ],
  },
  'testdriven-cpu': {
    tutorial: '001',
    figures: [
      {
        form: 'sync',
        label: 'a plain loop',
        seconds: 17.863046316,
        section: 'CPU-bound Operation › Sync Example',
        source: 'Elapsed run time: 17.863046316 seconds.',
      },
      {
        form: 'processes',
        label: 'multiprocessing.Pool(CPUs − 1), starmap',
        seconds: 2.9848740599999997,
        section: 'CPU-bound Operation › Multiprocessing Example',
        source: 'Elapsed run time: 2.9848740599999997 seconds.',
      },
      {
        form: 'processes-executor',
        label: 'ProcessPoolExecutor(CPUs − 1)',
        seconds: 4.452427557,
        section: 'CPU-bound Operation › Multiprocessing Example (concurrent.futures)',
        source: 'Elapsed run time: 4.452427557 seconds.',
      },
    ],
  },
  'guide-sum': {
    tutorial: '003',
    figures: [
      { form: 'sync', label: 'not run', seconds: null, section: '—', source: NONE },
      {
        form: 'processes',
        label: 'multiprocessing.Pool, map',
        seconds: null,
        section: 'How to Achieve Concurrency in Python › Python Multiprocessing',
        source: 'the example prints its sums but no time',
      },
    ],
  },
  'guide-matrix': {
    tutorial: '003',
    figures: [
      { form: 'sync', label: 'not run', seconds: null, section: '—', source: NONE },
      {
        form: 'processes',
        label: 'multiprocessing.Pool, starmap over rows (numpy)',
        seconds: null,
        section: 'Example 3: Parallel Matrix Multiplication with Multiprocessing',
        source: 'the example prints its rows but no time',
      },
    ],
  },
};
