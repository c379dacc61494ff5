/**
 * The report's columns, each defined once: its header, how to read it, and how its cell is made. The
 * terminal table, report.md, report.html and the legend under them ("Reading the columns") are all
 * derived from this list: adding a column is one entry here.
 */
import { speedupVsBlocking, type ComparableGroup } from '../analyse/analysis.ts';
import { modeKey } from '../analyse/scenario-key.ts';
import { compareRuns } from '../analyse/stats.ts';
import { fmtChange, fmtMs, fmtPercent, fmtRate, fmtRatio } from './format.ts';
import { queueCell } from './queue-report.ts';
import { beyondBaseline } from '../analyse/bounds.ts';
import { isMostlyRefused } from '../analyse/refusals.ts';
import type { CpuBaseline, ScenarioResult, Spread } from '../types.ts';

/** What a cell may need beyond its own row. */
interface CellContext {
  /** The row's workload and load level, all modes. */
  group: ComparableGroup;
  /** Runs per scenario (--repeat). */
  repeats: number;
  /** With --compare: the same scenario in the earlier run, or undefined when it is new. */
  before: ScenarioResult | undefined;
  /** The run's single-thread baseline, whose spread an "of bound" figure is read against. */
  baseline: CpuBaseline;
}

export interface Column {
  header: string;
  /**
   * How to read it, under the table in report.md and report.html. Columns that share one note (the
   * same string) share one line of the legend, keyed by their headers: `p50 / p99`.
   */
  note: string;
  cell(r: ScenarioResult, context: CellContext): string;
  /** A column only some runs have: queue mode's, worker or queue mode's (offload), or --compare's. */
  only?: 'queue' | 'offload' | 'compare';
}

function rpsCell(s: Spread, repeats: number): string {
  if (repeats < 2) return fmtRate(s.median);
  return `${fmtRate(s.median)} (${fmtRate(s.min)}–${fmtRate(s.max)})`;
}

/** The change against an earlier run, marked `~` when the runs cannot tell it from noise. */
function changeCell(
  now: ScenarioResult,
  before: ScenarioResult | undefined,
  pick: (r: ScenarioResult) => Spread | null,
  perRun: (r: ScenarioResult['runs'][number]) => number | null,
): string {
  if (!before) return 'new';
  const a = pick(now);
  const b = pick(before);
  if (!a || !b) return '–';
  const values = (r: ScenarioResult) => r.runs.map(perRun).filter((v): v is number => v !== null);
  const noise = compareRuns(values(now), values(before));
  return `${fmtChange(a.median, b.median)}${noise.kind === 'differs' ? '' : ' ~'}`;
}

function errorCell(r: ScenarioResult): string {
  const parts = [r.summary.errors + r.summary.timeouts, r.summary.non2xx, r.summary.dropped + r.summary.abandoned];
  return parts.every((n) => n === 0) ? '0' : parts.join('/');
}

/** A latency cell: `–` when the sample cannot support it, `≥` when unmeasured requests make it a lower bound. */
function latencyCell(r: ScenarioResult, s: Spread | null): string {
  if (!s) return '–';
  return `${r.summary.latencyIsLowerBound ? '≥ ' : ''}${fmtMs(s.median)}`;
}

/** /health p99, or its maximum (said so) when the run had too few probes to support a p99. */
function healthCell(r: ScenarioResult): string {
  if (r.summary.healthP99) return fmtMs(r.summary.healthP99.median);
  return r.summary.healthMax ? `max ${fmtMs(r.summary.healthMax.median)}` : '–';
}

/** `start→end (peak P)` over the runs; the peak only from servers that report it. */
function rssCell(r: ScenarioResult): string {
  const first = r.runs[0]?.server;
  const last = r.runs.at(-1)?.server;
  if (!first || !last) return '–';
  const peaks = r.runs.flatMap((run) => (run.server?.rssPeakMb === undefined ? [] : [run.server.rssPeakMb]));
  return `${first.rssStartMb}→${last.rssEndMb}${peaks.length > 0 ? ` (${Math.max(...peaks)})` : ''}`;
}

/**
 * What one unit of the row's own concurrency costs in memory, at the end of the last run's window:
 * a worker thread in worker mode, a queue worker process in queue mode; – in the other modes.
 */
function unitMemoryCell(r: ScenarioResult): string {
  const memory = r.runs.at(-1)?.server?.memory;
  if (r.scenario.mode === 'worker' && memory?.workerThreadMb !== undefined)
    return `${memory.workerThreadMb} × ${memory.workerThreads} thr`;
  if (r.scenario.mode === 'queue' && memory?.queueWorkerMb !== undefined)
    return `${memory.queueWorkerMb} × ${memory.queueWorkers} proc`;
  return '–';
}

/** True when nothing came back at all: every figure would be an empty 0. */
const noAnswers = (r: ScenarioResult) => r.summary.ok + r.summary.non2xx === 0;

/** `*` after the mode: the figures may be the load generator's or the machine's limit. */
const machineLimited = (r: ScenarioResult) => r.generatorBound || r.generatorLagged || r.machineSaturated;

const LATENCY_NOTE =
  "latency of the 2xx answers only; in the open model measured from each request's intended start. ≥ marks a " +
  'lower bound: more than 0.1% of the requests due were dropped, abandoned or timed out, and those would have ' +
  'been the slowest';

const QUEUE_NOTE =
  "queue mode only (— in the other modes): from the server's own histograms looplab_queue_wait_seconds (BullMQ's " +
  'processedOn − timestamp: enqueued until a queue worker took the job) and looplab_queue_processing_seconds ' +
  '(the workload in the worker), read at the start and end of the window; jobs is their count over the window ' +
  '(every job whose result reached the server in it, all runs together), wait and run the exact mean, sum ÷ ' +
  "count (median over runs). The rest of a request's latency is the trip through the backend and back. With " +
  '--queue-backends the row names the backend (queue-postgres, queue-redis)';

const CHANGE_NOTE =
  'with --compare: the change against the earlier run; `~` marks a change the runs cannot tell from noise ' +
  '(Mann–Whitney U, p ≥ 0.05, or a single run); new: a scenario the earlier run did not have';

export const COLUMNS: readonly Column[] = [
  {
    header: 'mode',
    note:
      "how the workload ran (blocking, async, worker, queue). A * after it: the figures may be the machine's limit, " +
      "not the server's: the load generator used about a whole core, or sent late (send-lag p99 above 2 ms and 10% " +
      "of p50), or the machine's CPU was ≥ 90% busy",
    cell: (r) => modeKey(r.scenario) + (machineLimited(r) ? ' *' : ''),
  },
  {
    header: 'req/s',
    note:
      'successful (2xx) answers per second of the measured window (median over repeats; range in brackets). Refusals ' +
      'and errors are never throughput. "no answers": nothing came back at all',
    cell: (r, c) => (noAnswers(r) ? 'no answers' : rpsCell(r.summary.rps, c.repeats)),
  },
  {
    header: 'failed/s',
    note: 'non-2xx answers, connection errors and timeouts per second of the window',
    cell: (r) => fmtRate(r.summary.failedPerSecond.median),
  },
  {
    header: 'n',
    note: 'the 2xx answers behind the percentiles; p99 needs at least 100 and p99.9 at least 1000, and a percentile the sample cannot support prints as –',
    cell: (r) => String(r.summary.n),
  },
  { header: 'p50', note: LATENCY_NOTE, cell: (r) => latencyCell(r, r.summary.p50) },
  { header: 'p99', note: LATENCY_NOTE, cell: (r) => latencyCell(r, r.summary.p99) },
  // Queue mode's split (wait, processing) sits beside the latencies it is part of, in runs that have it.
  { header: 'queue jobs', note: QUEUE_NOTE, cell: (r) => queueCell(r, 'jobs'), only: 'queue' },
  { header: 'queue wait', note: QUEUE_NOTE, cell: (r) => queueCell(r, 'wait'), only: 'queue' },
  { header: 'queue run', note: QUEUE_NOTE, cell: (r) => queueCell(r, 'run'), only: 'queue' },
  {
    header: 'err/non2xx/drop',
    note: 'connection errors and timeouts / non-2xx answers / open-model requests never sent (maxInFlight outstanding) or abandoned unanswered after the drain',
    cell: errorCell,
  },
  {
    header: '/health p99',
    note: 'latency of a separate low-rate probe of /health, sent from its own process: what every other caller of the server waits',
    cell: healthCell,
  },
  {
    header: 'loop delay p99',
    note: "the server's event-loop delay beyond its 1 ms sampling interval, time-weighted (a stall of D ms counts for D ms of samples), over the run",
    cell: (r) => fmtMs(r.summary.eventLoopDelayP99Ms?.median),
  },
  {
    header: 'loop max',
    note: "the server's longest event-loop stall over the run",
    cell: (r) => fmtMs(r.summary.eventLoopDelayMaxMs?.median),
  },
  {
    header: 'loop busy',
    note: "the server's event-loop utilization over the run: the share of time its main thread was running code",
    cell: (r) => fmtPercent(r.summary.eventLoopUtilization?.median),
  },
  {
    header: 'of bound',
    note:
      "req/s as a share of the theoretical bound: Little's law for I/O, single-thread rate × usable threads for CPU " +
      '(which assumes those cores were free). ! marks a figure above its CPU bound by more than the single-thread ' +
      "baseline's own range allows: the bound does not hold for that run (a line under the table says so)",
    cell: (r, c) => fmtPercent(r.efficiency) + (beyondBaseline(r, c.baseline) ? ' !' : ''),
  },
  {
    header: 'vs blocking',
    note:
      'req/s relative to blocking mode at the same load level; refused: more than half of its requests failed, so it ' +
      'is not ranked (a line under the table says what refused them)',
    cell: (r, c) => (isMostlyRefused(r) ? 'refused' : fmtRatio(speedupVsBlocking(c.group, modeKey(r.scenario)))),
  },
  {
    header: 'rss MB',
    note:
      "the server's resident memory in MiB (process_resident_memory_bytes from its /metrics; a cluster: all its " +
      'processes), at the start of the first measured window → at the end of the last, and in brackets the highest ' +
      "it reached within any run's window (the server samples it every 100 ms); – without /metrics",
    cell: rssCell,
  },
  {
    header: 'unit MB',
    note:
      "memory of one unit of the mode's concurrency, in MiB, at the end of the last run's window, × how many: in " +
      "worker mode the mean worker thread's own V8 isolate (heap pages, V8 malloc and external memory, as each " +
      "thread reported it with its last task: one sample per thread), in queue mode the mean queue worker process's " +
      'resident memory (/proc, Linux; the processes the server started); – in the other modes. The server process ' +
      'itself is rss MB, which holds its worker threads too',
    cell: unitMemoryCell,
    only: 'offload',
  },
  {
    header: 'Δ req/s',
    note: CHANGE_NOTE,
    cell: (r, c) =>
      changeCell(
        r,
        c.before,
        (x) => x.summary.rps,
        (run) => run.rps,
      ),
    only: 'compare',
  },
  {
    header: 'Δ p99',
    note: CHANGE_NOTE,
    cell: (r, c) =>
      changeCell(
        r,
        c.before,
        (x) => x.summary.p99,
        (run) => run.latency.p99,
      ),
    only: 'compare',
  },
];

/**
 * The columns a run's table has: queue mode's only with queue rows, the unit memory only with worker
 * or queue rows, --compare's only with an earlier run.
 */
export function columnsFor(has: { queue: boolean; offload: boolean; compare: boolean }): Column[] {
  return COLUMNS.filter((c) => c.only === undefined || has[c.only]);
}

/**
 * The legend of a table with these headers: one line per note, keyed by the headers that share it
 * (`p50 / p99`), in column order.
 */
export function columnNotes(headers: readonly string[]): ReadonlyArray<readonly [string, string]> {
  const notes = new Map<string, string[]>();
  for (const column of COLUMNS.filter((c) => headers.includes(c.header))) {
    notes.set(column.note, [...(notes.get(column.note) ?? []), column.header]);
  }
  return [...notes].map(([note, keys]) => [keys.join(' / '), note] as const);
}
