import { median } from '../analyse/stats.ts';
import { type MetricsSnapshot, scrapeMetrics } from './server-metrics.ts';
import { httpGet } from '../stack/http-get.ts';
import type { BaselineFigure, CpuBaseline, HarnessOptions } from '../types.ts';

/** Unmeasured requests first: they include lazy start-up work (JIT, first connections). */
const DISCARDED = 2;
/** Measured in groups of back-to-back requests, each group one reading of the server's CPU counter. */
const GROUPS = 4;
const PER_GROUP = 3;
/** Pairs of back-to-back scrapes with no request between them: what reading the counter costs. */
const EMPTY_GROUPS = 3;
/**
 * The server's threads other than the event loop count as quiet below this share of a core. Seen on an
 * idle server: 4–7% for the others, 9–19% for the whole process (the loop's own delay sampler included,
 * where Node has no thread counter to leave it out); a worker thread starting up: 70–90%.
 */
const QUIET_CORES = 0.2;
const QUIET_STEP_MS = 200;
/** A server whose other threads never fall quiet is measured anyway after this long. */
const QUIET_TIMEOUT_MS = 5_000;

interface Calibration {
  workload: string;
  mode: string;
  /** The mode runs each request on the event-loop thread, so that thread's own CPU is the request's cost. */
  onLoop: boolean;
}

/**
 * The workloads whose bound is CPU-made (their model says so, discovered from the server), each with
 * the mode to calibrate on: one that runs on the event-loop thread, so one request is one thread's
 * work, else the first the workload has.
 */
function cpuWorkloads(options: HarnessOptions): Calibration[] {
  return options.workloads.flatMap((workload) => {
    const found = options.discovered?.[workload];
    if (found?.bound?.kind !== 'cpu') return [];
    const onLoop = Object.entries(found.bound.modes).find(([, m]) => m.threads === 'loop')?.[0];
    const mode = onLoop ?? found.modes[0];
    return mode ? [{ workload, mode, onLoop: onLoop !== undefined }] : [];
  });
}

/** One request; its server-reported work time (wall clock), ms. */
async function oneRequest(url: string): Promise<number> {
  const res = await httpGet(url);
  const body = (await res.json()) as { durationMs?: unknown };
  if (!res.ok || typeof body.durationMs !== 'number')
    throw new Error(`baseline request ${url} failed with ${res.status}: ${JSON.stringify(body)}`);
  return body.durationMs;
}

/** The CPU counter a calibration reads, seconds: the event-loop thread's own where it can, else the process's. */
type CpuReading = (m: MetricsSnapshot) => number | undefined;
const loopThread: CpuReading = (m) => m.loopThreadCpuSeconds;
const wholeProcess: CpuReading = (m) => m.cpuSeconds;

/** The rise of a counter between two scrapes, ms; undefined when either lacks it. */
function riseMs(before: MetricsSnapshot | null, after: MetricsSnapshot | null, read: CpuReading): number | undefined {
  const a = before ? read(before) : undefined;
  const b = after ? read(after) : undefined;
  return a === undefined || b === undefined ? undefined : (b - a) * 1000;
}

/**
 * Waits until the server's threads other than the event loop are quiet: after a worker-mode run,
 * piscina replaces the threads whose tasks were cancelled, and each new thread spends CPU starting up
 * (loading and compiling the worker code), which the process's counter would charge to the groups.
 * Bounded: a server that is never quiet is measured anyway.
 */
export async function waitForQuietThreads(origin: string): Promise<void> {
  const deadline = performance.now() + QUIET_TIMEOUT_MS;
  let before = await scrapeMetrics(origin);
  let at = performance.now();
  while (before && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_STEP_MS));
    const after = await scrapeMetrics(origin);
    const now = performance.now();
    const all = riseMs(before, after, wholeProcess);
    const loop = riseMs(before, after, loopThread) ?? 0;
    // Without the loop thread's own counter, the whole process must be quiet: no request is running.
    if (all === undefined || (all - loop) / (now - at) < QUIET_CORES) return;
    [before, at] = [after, now];
  }
}

/**
 * What one request costs the server's thread, as its CPU time per request: a CPU counter from
 * `/metrics` read around each group of back-to-back requests. CPU time, not the request's wall time,
 * because wall time also counts every moment another process held the core: measured once, at one
 * moment, it made the bound as busy as the machine happened to be then. On a mode that runs on the
 * event loop the counter is that thread's own (`looplab_event_loop_thread_cpu_seconds_total`): the
 * process's counts every thread, and the end of a run left worker threads starting up beside it. From
 * each group's rise goes what reading the counter itself costs (an empty group's rise), since the run's
 * requests pay no scrape. Without the thread's counter, the process's; without `/metrics`, the median
 * of the server-reported wall times.
 */
async function singleThread(origin: string, cpu: Calibration, options: HarnessOptions): Promise<BaselineFigure> {
  const url = `${origin}/${cpu.workload}/${cpu.mode}?${new URLSearchParams(options.params[cpu.workload]).toString()}`;
  for (let i = 0; i < DISCARDED; i++) await oneRequest(url);
  await waitForQuietThreads(origin);
  const probe = await scrapeMetrics(origin);
  const onThread = cpu.onLoop && probe?.loopThreadCpuSeconds !== undefined;
  const read = onThread ? loopThread : wholeProcess;
  const empty: number[] = [];
  for (let g = 0; g < EMPTY_GROUPS; g++) {
    const rise = riseMs(await scrapeMetrics(origin), await scrapeMetrics(origin), read);
    if (rise !== undefined) empty.push(rise);
  }
  const scrapeMs = empty.length > 0 ? median(empty) : 0;
  const perGroup: number[] = [];
  const wall: number[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const before = await scrapeMetrics(origin);
    for (let i = 0; i < PER_GROUP; i++) wall.push(await oneRequest(url));
    const rise = riseMs(before, await scrapeMetrics(origin), read);
    if (rise !== undefined) perGroup.push(Math.max(0, rise - scrapeMs) / PER_GROUP);
  }
  const figures = perGroup.length === GROUPS ? perGroup : wall;
  return {
    ms: median(figures),
    minMs: Math.min(...figures),
    maxMs: Math.max(...figures),
    samples: wall.length,
    basis: figures === wall ? 'wall' : onThread ? 'loop-cpu' : 'cpu',
  };
}

/**
 * Single-thread cost of each CPU workload at the start of the run. The CPU bounds scale this rate, so
 * it is measured on the same machine, in the same conditions, just before the load.
 */
export async function measureCpuBaseline(origin: string, options: HarnessOptions): Promise<CpuBaseline> {
  const baseline: CpuBaseline = {};
  for (const cpu of cpuWorkloads(options)) {
    const { ms, samples, minMs, maxMs, basis } = await singleThread(origin, cpu, options);
    baseline[cpu.workload] = { msPerRequest: ms, samples, atEndMs: null, minMs, maxMs, basis };
  }
  return baseline;
}

/**
 * The same measurement after the load: the bounds keep the start figure, and the two together show how
 * far the single-thread cost drifted while the run went on (the range takes in both).
 */
export async function remeasureCpuBaseline(
  origin: string,
  options: HarnessOptions,
  start: CpuBaseline,
): Promise<CpuBaseline> {
  const baseline: CpuBaseline = { ...start };
  for (const cpu of cpuWorkloads(options)) {
    const first = start[cpu.workload];
    if (!first) continue;
    const end = await singleThread(origin, cpu, options);
    baseline[cpu.workload] = {
      ...first,
      atEndMs: end.ms,
      minMs: Math.min(first.minMs ?? first.msPerRequest, end.minMs),
      maxMs: Math.max(first.maxMs ?? first.msPerRequest, end.maxMs),
    };
  }
  return baseline;
}
