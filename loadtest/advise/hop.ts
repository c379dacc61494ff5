/**
 * The offload hop of one workload, measured on its own: on one server with a one-thread pool, groups of
 * back-to-back requests (one in flight) alternate between the inline mode and worker mode, each group
 * between two reads of the server's CPU counter (`/metrics`). Both modes pay the same HTTP handling and
 * the same scrapes, at the same pace, so the difference of their CPU per request is the hop: posting the
 * task, cloning its parameters and result, waking the thread.
 *
 * Why not the load runs' CPU per request: there each candidate ran at its own throughput, and the
 * server's CPU that does not scale with requests (the /health canary, scrapes, timers) spreads over
 * however many requests it served. On a busy machine the candidates' throughputs differ several-fold,
 * and that share then outweighs a hop of a few hundred µs, either way.
 */
import { median } from '../analyse/stats.ts';
import { scrapeMetrics } from '../measure/server-metrics.ts';
import { httpGet } from '../stack/http-get.ts';

/** Groups per mode. */
const GROUPS = 5;
/** Unmeasured requests per mode first (JIT, the thread's first task, the first connections). */
const DISCARDED = 3;
/** A group lasts about this long, so the scrapes' own CPU is small beside it, within these counts. */
const GROUP_MS = 250;
const GROUP_SIZE = { min: 3, max: 100 };

export interface HopMeasurement {
  inlineMode: string;
  /** The server's CPU per request, µs: inline, and through the one-thread pool. */
  inlineUs: number;
  offloadedUs: number;
  /**
   * Each group pair's difference, offloaded − inline, µs per request: the hop as each pair saw it. Their
   * spread is the measurement's own noise, beside which a hop of a few µs cannot be told from none.
   */
  pairedHopUs: number[];
  /** The function's own time per call, µs: the server-reported work time (`durationMs`) inline, median. */
  reportedWorkUs: number;
  /** Requests per group, and groups per mode. */
  groupSize: number;
  groups: number;
}

async function oneRequest(url: string): Promise<{ wallMs: number; workMs: number }> {
  const started = performance.now();
  const res = await httpGet(url);
  const body = (await res.json()) as { durationMs?: unknown };
  if (!res.ok || typeof body.durationMs !== 'number')
    throw new Error(`offload-cost request ${url} failed with ${res.status}: ${JSON.stringify(body)}`);
  return { wallMs: performance.now() - started, workMs: body.durationMs };
}

/** CPU µs per request over one group, and the work times it reported. */
async function group(origin: string, url: string, size: number): Promise<{ cpuUs: number; workMs: number[] }> {
  const before = await scrapeMetrics(origin);
  const workMs: number[] = [];
  for (let i = 0; i < size; i++) workMs.push((await oneRequest(url)).workMs);
  const after = await scrapeMetrics(origin);
  if (!before || !after) throw new Error(`${origin}/metrics did not answer: the offload cost needs the CPU counter`);
  return { cpuUs: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / size, workMs };
}

/** Measures the hop on `origin`, a looplab server with a worker pool. */
export async function measureHop(
  origin: string,
  workload: string,
  params: Record<string, string>,
  inlineMode: string,
): Promise<HopMeasurement> {
  const query = new URLSearchParams(params).toString();
  const url = (mode: string) => `${origin}/${workload}/${mode}${query ? `?${query}` : ''}`;
  const inline = url(inlineMode);
  const offloaded = url('worker');
  let slowest = 0;
  for (let i = 0; i < DISCARDED; i++)
    for (const u of [inline, offloaded]) slowest = Math.max(slowest, (await oneRequest(u)).wallMs);
  const size = Math.min(GROUP_SIZE.max, Math.max(GROUP_SIZE.min, Math.round(GROUP_MS / Math.max(slowest, 0.1))));
  const inlineCpu: number[] = [];
  const offloadedCpu: number[] = [];
  const work: number[] = [];
  // Alternating, and each pair in turn order, so a slow spell of the machine falls on both modes alike.
  for (let g = 0; g < GROUPS; g++) {
    const order = g % 2 === 0 ? [inline, offloaded] : [offloaded, inline];
    for (const u of order) {
      const measured = await group(origin, u, size);
      if (u === inline) {
        inlineCpu.push(measured.cpuUs);
        work.push(...measured.workMs);
      } else offloadedCpu.push(measured.cpuUs);
    }
  }
  return {
    inlineMode,
    inlineUs: median(inlineCpu),
    offloadedUs: median(offloadedCpu),
    pairedHopUs: offloadedCpu.map((cpu, g) => cpu - (inlineCpu[g] as number)),
    reportedWorkUs: median(work) * 1000,
    groupSize: size,
    groups: GROUPS,
  };
}
