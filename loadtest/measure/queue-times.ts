/**
 * Queue mode's two histograms in the server's `/metrics` — `looplab_queue_wait_seconds` (BullMQ's
 * `processedOn − timestamp`: enqueued until a worker took it) and `looplab_queue_processing_seconds`
 * (the workload in its queue worker process), both by workload — read as running totals at each scrape
 * and turned into one window's figures by difference. A histogram's count and sum are exact, so the
 * window's count and mean are too; its percentiles are not (only which bucket they fall in), so the
 * one tail figure given is named for what it is: the upper bound of the bucket holding the p99.
 */

const WAIT = 'looplab_queue_wait_seconds';
const PROCESSING = 'looplab_queue_processing_seconds';

/** One workload's running totals of one histogram: cumulative bucket counts by upper bound (s, +Inf last). */
export interface HistogramTotals {
  count: number;
  sumSeconds: number;
  buckets: Map<number, number>;
}

export interface QueueTotals {
  wait: HistogramTotals;
  processing: HistogramTotals;
}

/** One histogram over a window: how many jobs, their exact mean, and where their p99 lies at most. */
export interface QueueFigure {
  /** Observations in the window: jobs whose result the server received between the two scrapes. */
  count: number;
  /** sum ÷ count over the window, ms rounded to the microsecond; null with no jobs. */
  meanMs: number | null;
  /**
   * The upper bound of the histogram bucket that holds the window's nearest-rank p99, ms: the p99 is at
   * most this (not an estimate of it). Null with no jobs, or when the p99 is in the last, unbounded bucket.
   */
  p99AtMostMs: number | null;
}

/** Queue mode's split of a run: time waiting for a queue worker, and time running in one. */
export interface QueueWindow {
  /** Jobs counted in the window (the wait histogram's count; processing's is the same, observed together). */
  jobs: number;
  wait: QueueFigure;
  processing: QueueFigure;
}

const empty = (): HistogramTotals => ({ count: 0, sumSeconds: 0, buckets: new Map() });

function parseLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
    labels.set(m[1] as string, (m[2] as string).replace(/\\(.)/g, '$1'));
  return labels;
}

/**
 * Every workload's totals of both queue histograms; undefined when the server does not declare them
 * (no queue mode). A workload that has run no job yet has no series, so it is simply absent.
 */
export function parseQueueTotals(text: string): Map<string, QueueTotals> | undefined {
  if (!new RegExp(`^# TYPE ${WAIT} histogram$`, 'm').test(text)) return undefined;
  const totals = new Map<string, QueueTotals>();
  const series = new RegExp(
    `^(${WAIT}|${PROCESSING})_(bucket|sum|count)\\{([^}]*)\\} ([0-9.eE+-]+|NaN|[+-]Inf)$`,
    'gm',
  );
  for (const m of text.matchAll(series)) {
    const [, name, part, labelText, raw] = m as unknown as [string, string, string, string, string];
    const labels = parseLabels(labelText);
    const workload = labels.get('workload');
    const value = Number(raw);
    if (workload === undefined || !Number.isFinite(value)) continue;
    const entry = totals.get(workload) ?? { wait: empty(), processing: empty() };
    totals.set(workload, entry);
    const histogram = name === WAIT ? entry.wait : entry.processing;
    if (part === 'count') histogram.count = value;
    else if (part === 'sum') histogram.sumSeconds = value;
    else
      histogram.buckets.set(Number(labels.get('le') === '+Inf' ? Number.POSITIVE_INFINITY : labels.get('le')), value);
  }
  return totals;
}

/**
 * A sum of float seconds turned into ms carries binary noise (870.2000000000002): the histogram's
 * own sums are not finer than a microsecond's worth, so neither is what is printed from them.
 */
const toMicrosecond = (ms: number) => Math.round(ms * 1000) / 1000;

/** The window's figure of one histogram, or null when its totals went down (a process restarted in the window). */
function figure(before: HistogramTotals, after: HistogramTotals): QueueFigure | null {
  const count = after.count - before.count;
  const sumSeconds = after.sumSeconds - before.sumSeconds;
  if (count < 0) return null;
  if (count === 0) return { count, meanMs: null, p99AtMostMs: null };
  const rank = Math.ceil(0.99 * count);
  let p99AtMostMs: number | null = null;
  for (const le of [...after.buckets.keys()].sort((a, b) => a - b)) {
    const within = (after.buckets.get(le) ?? 0) - (before.buckets.get(le) ?? 0);
    if (within >= rank) {
      p99AtMostMs = Number.isFinite(le) ? le * 1000 : null;
      break;
    }
  }
  return {
    count,
    meanMs: toMicrosecond((sumSeconds / count) * 1000),
    p99AtMostMs: p99AtMostMs === null ? null : toMicrosecond(p99AtMostMs),
  };
}

/**
 * One workload's queue split between two scrapes; null when either scrape lacks the queue histograms
 * (a server without queue mode, or `/metrics` unreadable) or a total went down in between.
 */
export function queueWindow(
  before: Map<string, QueueTotals> | undefined,
  after: Map<string, QueueTotals> | undefined,
  workload: string,
): QueueWindow | null {
  if (!before || !after) return null;
  const start = before.get(workload) ?? { wait: empty(), processing: empty() };
  const end = after.get(workload) ?? { wait: empty(), processing: empty() };
  const wait = figure(start.wait, end.wait);
  const processing = figure(start.processing, end.processing);
  if (!wait || !processing) return null;
  return { jobs: wait.count, wait, processing };
}
