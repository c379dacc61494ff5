import { median } from '../analyse/stats.ts';
import type { CpuBaseline, HarnessOptions } from '../types.ts';

const SAMPLES = 9;
/** The first answers include lazy start-up work (JIT, first connections); they are not counted. */
const DISCARDED = 2;
const CPU_WORKLOADS = ['hash', 'cpu'] as const;

/** Median server-reported work time of a few sequential blocking requests, with nothing else running. */
async function singleThreadMs(origin: string, workload: 'hash' | 'cpu', options: HarnessOptions): Promise<{ ms: number; samples: number }> {
  const query = new URLSearchParams(options.params[workload]).toString();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const res = await fetch(`${origin}/${workload}/blocking?${query}`);
    const body = (await res.json()) as { durationMs?: unknown };
    if (!res.ok || typeof body.durationMs !== 'number') throw new Error(`baseline request /${workload}/blocking?${query} failed with ${res.status}: ${JSON.stringify(body)}`);
    if (i >= DISCARDED) times.push(body.durationMs);
  }
  return { ms: median(times), samples: times.length };
}

/**
 * Single-thread cost of each CPU workload at the start of the run. The CPU bounds scale this rate, so
 * it is measured on the same machine, in the same conditions, just before the load.
 */
export async function measureCpuBaseline(origin: string, options: HarnessOptions): Promise<CpuBaseline> {
  const baseline: CpuBaseline = {};
  for (const workload of CPU_WORKLOADS) {
    if (!options.workloads.includes(workload)) continue;
    const { ms, samples } = await singleThreadMs(origin, workload, options);
    baseline[workload] = { msPerRequest: ms, samples, atEndMs: null };
  }
  return baseline;
}

/**
 * The same measurement after the load: the bounds keep the start figure, and the two together show how
 * far the single-thread cost drifted while the run went on.
 */
export async function remeasureCpuBaseline(origin: string, options: HarnessOptions, start: CpuBaseline): Promise<CpuBaseline> {
  const baseline: CpuBaseline = { ...start };
  for (const workload of CPU_WORKLOADS) {
    const first = start[workload];
    if (!first) continue;
    const { ms } = await singleThreadMs(origin, workload, options);
    baseline[workload] = { ...first, atEndMs: ms };
  }
  return baseline;
}
