import { parseQueueTotals, type QueueTotals } from './queue-times.ts';
import { httpGet } from '../stack/http-get.ts';

/** What the harness reads from the server's `/metrics` to judge event-loop health over a window. */
export interface MetricsSnapshot {
  activeSeconds: number;
  idleSeconds: number;
  /** Event-loop delay beyond the sampling interval since the previous scrape (time-weighted p99, and max). */
  loopDelayP99Seconds: number;
  loopDelayMaxSeconds: number;
  /** CPU time of the server process (all its threads) since it started. */
  cpuSeconds: number;
  /**
   * CPU time of the server's event-loop thread alone (a cluster: of every process's), since it started;
   * absent from servers that predate it or run on a Node without `process.threadCpuUsage`.
   */
  loopThreadCpuSeconds?: number;
  /** Workload requests the server has finished answering since it started, whatever their status. */
  workloadRequestsDone: number;
  /** Resident memory of the server process (a cluster: of all its processes). */
  rssBytes: number;
  /** The highest resident memory since the previous scrape; absent from servers that predate it. */
  rssPeakBytes?: number;
  /** A cluster's figures for each server process, by pid (absent for a single process). */
  processes?: Map<number, ProcessSnapshot>;
  /** The worker threads' own memory as of their last tasks (absent from servers that predate it). */
  workerThreads?: { threads: number; meanBytes: number; maxBytes: number };
  /** Resident memory of each queue worker process the server started, by pid (absent without any). */
  queueWorkerRssBytes?: Map<number, number>;
  /** Queue mode's wait and processing histograms by workload (queue-times.ts); absent without queue mode. */
  queue?: Map<string, QueueTotals>;
}

/** One cluster process's own event-loop and CPU figures (`looplab_process_*{pid=…}`). */
export interface ProcessSnapshot {
  activeSeconds: number;
  idleSeconds: number;
  loopDelayP99Seconds: number;
  loopDelayMaxSeconds: number;
  cpuSeconds: number;
  rssBytes?: number;
  rssPeakBytes?: number;
}

/** Every `name{pid="…"[,more]} value` line, by pid; `more` is the exact label text after pid. */
export function readByPid(text: string, name: string, more?: string): Map<number, number> {
  const escaped = more ? `,${more.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` : '';
  const found = new Map<number, number>();
  for (const m of text.matchAll(new RegExp(`^${name}\\{pid="(\\d+)"${escaped}\\} ([0-9.eE+-]+)$`, 'gm')))
    found.set(Number(m[1]), Number(m[2]));
  return found;
}

/** The per-process series a cluster's `/metrics` adds beside its totals; undefined without them. */
export function parseProcesses(text: string): Map<number, ProcessSnapshot> | undefined {
  const active = readByPid(text, 'looplab_process_event_loop_active_seconds_total');
  if (active.size === 0) return undefined;
  const idle = readByPid(text, 'looplab_process_event_loop_idle_seconds_total');
  const p99 = readByPid(text, 'looplab_process_event_loop_delay_seconds', 'stat="p99"');
  const max = readByPid(text, 'looplab_process_event_loop_delay_seconds', 'stat="max"');
  const cpu = readByPid(text, 'looplab_process_cpu_seconds_total');
  const rss = readByPid(text, 'looplab_process_resident_memory_bytes');
  const rssPeak = readByPid(text, 'looplab_process_resident_memory_peak_bytes');
  const processes = new Map<number, ProcessSnapshot>();
  for (const [pid, activeSeconds] of active) {
    processes.set(pid, {
      activeSeconds,
      idleSeconds: idle.get(pid) ?? 0,
      loopDelayP99Seconds: p99.get(pid) ?? 0,
      loopDelayMaxSeconds: max.get(pid) ?? 0,
      cpuSeconds: cpu.get(pid) ?? 0,
      ...optional('rssBytes', rss.get(pid)),
      ...optional('rssPeakBytes', rssPeak.get(pid)),
    });
  }
  return processes;
}

/** `{ [key]: value }`, or nothing when the value is absent (exactOptionalPropertyTypes). */
const optional = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;

/** Reads one sample out of Prometheus text format; `labels` is the exact label text, e.g. `stat="p99"`. */
export function readSample(text: string, name: string, labels?: string): number | undefined {
  const escaped = labels?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${name}${escaped ? `\\{${escaped}\\}` : ''} ([0-9.eE+-]+|NaN)$`, 'm').exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : undefined;
}

/** Sums every labelled series of a counter, e.g. all `looplab_request_duration_seconds_count{…}` lines. */
export function sumSamples(text: string, name: string): number {
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}\\{[^}]*\\} ([0-9.eE+-]+)$`, 'gm'))) total += Number(match[1]);
  return total;
}

export function parseMetrics(text: string): MetricsSnapshot | null {
  const active = readSample(text, 'looplab_event_loop_active_seconds_total');
  const idle = readSample(text, 'looplab_event_loop_idle_seconds_total');
  const p99 = readSample(text, 'looplab_event_loop_delay_seconds', 'stat="p99"');
  const max = readSample(text, 'looplab_event_loop_delay_seconds', 'stat="max"');
  const cpu = readSample(text, 'process_cpu_seconds_total');
  const rss = readSample(text, 'process_resident_memory_bytes');
  if (
    active === undefined ||
    idle === undefined ||
    p99 === undefined ||
    max === undefined ||
    cpu === undefined ||
    rss === undefined
  )
    return null;
  const processes = parseProcesses(text);
  const queue = parseQueueTotals(text);
  const threads = readSample(text, 'looplab_worker_threads_reporting');
  const queueWorkers = readByPid(text, 'looplab_queue_worker_resident_memory_bytes');
  return {
    ...(processes ? { processes } : {}),
    ...(threads === undefined
      ? {}
      : {
          workerThreads: {
            threads,
            meanBytes: readSample(text, 'looplab_worker_thread_memory_bytes') ?? 0,
            maxBytes: readSample(text, 'looplab_worker_thread_memory_max_bytes') ?? 0,
          },
        }),
    ...(queueWorkers.size > 0 ? { queueWorkerRssBytes: queueWorkers } : {}),
    ...(queue ? { queue } : {}),
    activeSeconds: active,
    idleSeconds: idle,
    loopDelayP99Seconds: p99,
    loopDelayMaxSeconds: max,
    cpuSeconds: cpu,
    ...optional('loopThreadCpuSeconds', readSample(text, 'looplab_event_loop_thread_cpu_seconds_total')),
    workloadRequestsDone: sumSamples(text, 'looplab_request_duration_seconds_count'),
    rssBytes: rss,
    ...optional('rssPeakBytes', readSample(text, 'looplab_resident_memory_peak_bytes')),
  };
}

export async function scrapeMetrics(origin: string): Promise<MetricsSnapshot | null> {
  try {
    const res = await httpGet(`${origin}/metrics`, 30_000);
    if (!res.ok) return null;
    return parseMetrics(await res.text());
  } catch {
    return null;
  }
}

/** The server's own figures over one measured window. */
export interface WindowFigures {
  eventLoopUtilization: number;
  /** Time-weighted p99 of the delay beyond the 1 ms sampling interval, and the longest stall, ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Server CPU over the window, in cores (1 = one core fully busy; worker threads count too). */
  cpuCores: number;
  rssStartMb: number;
  rssEndMb: number;
  /**
   * The highest resident memory within the window (the server samples it every 100 ms; the scrape at
   * the end reads the peak since the one at the start). Absent from servers that predate it.
   */
  rssPeakMb?: number;
  /**
   * A cluster's processes, each over the same window (the totals above: utilization and CPU over all
   * of them, delay p99 and max of the worst one). A process restarted within the window is left out.
   */
  processes?: ProcessWindowFigures[];
  /** What one unit of each kind of concurrency costs in memory, at the end of the window (memoryAtEnd). */
  memory?: UnitMemory;
}

/**
 * Memory per unit of concurrency at the end of a window, MiB to one decimal: per worker thread (its
 * own V8 isolate: heap pages, V8 malloc, external memory; the mean over the threads that have run a
 * task, and the largest) and per queue worker process (its resident memory from /proc; the mean over
 * the processes the server started, and the largest). Each from one scrape: one sample per thread or
 * process. A field is absent when the server has no such unit (or predates the figure).
 */
export interface UnitMemory {
  workerThreadMb?: number;
  workerThreadMaxMb?: number;
  workerThreads?: number;
  queueWorkerMb?: number;
  queueWorkerMaxMb?: number;
  queueWorkers?: number;
}

const mib1 = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** The unit memory a scrape shows (see UnitMemory); undefined when it shows none. */
export function memoryAtEnd(after: MetricsSnapshot): UnitMemory | undefined {
  const t = after.workerThreads;
  const q = after.queueWorkerRssBytes ? [...after.queueWorkerRssBytes.values()] : [];
  const memory: UnitMemory = {
    ...(t && t.threads > 0
      ? { workerThreadMb: mib1(t.meanBytes), workerThreadMaxMb: mib1(t.maxBytes), workerThreads: t.threads }
      : {}),
    ...(q.length > 0
      ? {
          queueWorkerMb: mib1(q.reduce((a, b) => a + b, 0) / q.length),
          queueWorkerMaxMb: mib1(Math.max(...q)),
          queueWorkers: q.length,
        }
      : {}),
  };
  return Object.keys(memory).length > 0 ? memory : undefined;
}

export interface ProcessWindowFigures {
  pid: number;
  eventLoopUtilization: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  cpuCores: number;
  /** This process's resident memory at the end of the window, and its peak within it, MiB. */
  rssEndMb?: number;
  rssPeakMb?: number;
}

const mib = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round(bytes / 2 ** 20));

function processWindows(
  before: MetricsSnapshot,
  after: MetricsSnapshot,
  wallSeconds: number | undefined,
): ProcessWindowFigures[] | undefined {
  if (!after.processes) return undefined;
  const figures: ProcessWindowFigures[] = [];
  for (const [pid, end] of after.processes) {
    const start = before.processes?.get(pid);
    if (!start) continue;
    const active = end.activeSeconds - start.activeSeconds;
    const idle = end.idleSeconds - start.idleSeconds;
    const seconds = wallSeconds ?? active + idle;
    figures.push({
      pid,
      eventLoopUtilization: active + idle > 0 ? active / (active + idle) : 0,
      eventLoopDelayP99Ms: end.loopDelayP99Seconds * 1000,
      eventLoopDelayMaxMs: end.loopDelayMaxSeconds * 1000,
      cpuCores: seconds > 0 ? (end.cpuSeconds - start.cpuSeconds) / seconds : 0,
      ...optional('rssEndMb', mib(end.rssBytes)),
      ...optional('rssPeakMb', mib(end.rssPeakBytes)),
    });
  }
  return figures;
}

/**
 * Event-loop figures over the window between two scrapes: utilization and CPU from running totals, and
 * the delay from the second scrape (the server resets its delay window at every scrape, so the second
 * one covers exactly the window — provided nothing else scraped `/metrics` in between).
 */
export function windowFigures(
  before: MetricsSnapshot | null,
  after: MetricsSnapshot | null,
  wallSeconds?: number,
): WindowFigures | null {
  if (!before || !after) return null;
  const active = after.activeSeconds - before.activeSeconds;
  const idle = after.idleSeconds - before.idleSeconds;
  const seconds = wallSeconds ?? active + idle;
  const processes = processWindows(before, after, wallSeconds);
  const memory = memoryAtEnd(after);
  return {
    ...(processes ? { processes } : {}),
    ...(memory ? { memory } : {}),
    eventLoopUtilization: active + idle > 0 ? active / (active + idle) : 0,
    eventLoopDelayP99Ms: after.loopDelayP99Seconds * 1000,
    eventLoopDelayMaxMs: after.loopDelayMaxSeconds * 1000,
    cpuCores: seconds > 0 ? (after.cpuSeconds - before.cpuSeconds) / seconds : 0,
    rssStartMb: Math.round(before.rssBytes / 2 ** 20),
    rssEndMb: Math.round(after.rssBytes / 2 ** 20),
    // The peak since the scrape before: at least the two readings either side of the window.
    ...optional(
      'rssPeakMb',
      after.rssPeakBytes === undefined ? undefined : mib(Math.max(after.rssPeakBytes, before.rssBytes, after.rssBytes)),
    ),
  };
}
