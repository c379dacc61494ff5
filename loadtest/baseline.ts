import { median } from './stats.ts';
import type { CpuBaseline, HarnessOptions } from './types.ts';

const SAMPLES = 9;
/** The first answers include lazy start-up work (JIT, first connections); they are not counted. */
const DISCARDED = 2;

/**
 * Single-thread cost of each CPU workload in this run: the median of the server-reported work time of
 * a few sequential blocking requests, with nothing else running. The CPU bounds scale this rate.
 */
export async function measureCpuBaseline(origin: string, options: HarnessOptions): Promise<CpuBaseline> {
  const baseline: CpuBaseline = {};
  for (const workload of ['hash', 'cpu'] as const) {
    if (!options.workloads.includes(workload)) continue;
    const query = new URLSearchParams(options.params[workload]).toString();
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const res = await fetch(`${origin}/${workload}/blocking?${query}`);
      const body = (await res.json()) as { durationMs?: unknown };
      if (!res.ok || typeof body.durationMs !== 'number') throw new Error(`baseline request /${workload}/blocking?${query} failed with ${res.status}: ${JSON.stringify(body)}`);
      if (i >= DISCARDED) times.push(body.durationMs);
    }
    baseline[workload] = { msPerRequest: median(times), samples: times.length };
  }
  return baseline;
}
