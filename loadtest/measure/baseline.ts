import { median } from '../analyse/stats.ts';
import { scrapeMetrics } from './server-metrics.ts';
import { httpGet } from '../stack/http-get.ts';
import type { BaselineFigure, CpuBaseline, HarnessOptions } from '../types.ts';

/** Unmeasured requests first: they include lazy start-up work (JIT, first connections). */
const DISCARDED = 2;
/** Measured in groups of back-to-back requests, each group one reading of the server's CPU counter. */
const GROUPS = 4;
const PER_GROUP = 3;

/**
 * The workloads whose bound is CPU-made (their model says so, discovered from the server), each with
 * the mode to calibrate on: one that runs on the event-loop thread, so one request is one thread's
 * work, else the first the workload has.
 */
function cpuWorkloads(options: HarnessOptions): Array<{ workload: string; mode: string }> {
  return options.workloads.flatMap((workload) => {
    const found = options.discovered?.[workload];
    if (found?.bound?.kind !== 'cpu') return [];
    const onLoop = Object.entries(found.bound.modes).find(([, m]) => m.threads === 'loop')?.[0];
    const mode = onLoop ?? found.modes[0];
    return mode ? [{ workload, mode }] : [];
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

/**
 * What one request costs the server's thread, measured as its CPU time per request: the server's own
 * CPU counter (`/metrics`) read around each group of back-to-back requests. CPU time, not the
 * request's wall time, because wall time also counts every moment another process held the core:
 * measured once, at one moment, it made the bound as busy as the machine happened to be then. The
 * counter also holds the HTTP handling each request of the run pays too. Without `/metrics`, the
 * median of the server-reported wall times.
 */
async function singleThread(
  origin: string,
  { workload, mode }: { workload: string; mode: string },
  options: HarnessOptions,
): Promise<BaselineFigure> {
  const url = `${origin}/${workload}/${mode}?${new URLSearchParams(options.params[workload]).toString()}`;
  for (let i = 0; i < DISCARDED; i++) await oneRequest(url);
  const perGroup: number[] = [];
  const wall: number[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const before = await scrapeMetrics(origin);
    for (let i = 0; i < PER_GROUP; i++) wall.push(await oneRequest(url));
    const after = await scrapeMetrics(origin);
    if (before && after) perGroup.push(((after.cpuSeconds - before.cpuSeconds) * 1000) / PER_GROUP);
  }
  const figures = perGroup.length === GROUPS ? perGroup : wall;
  return {
    ms: median(figures),
    minMs: Math.min(...figures),
    maxMs: Math.max(...figures),
    samples: wall.length,
    basis: figures === perGroup ? 'cpu' : 'wall',
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
