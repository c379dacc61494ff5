import { median } from '../analyse/stats.ts';
import type { CpuBaseline, HarnessOptions } from '../types.ts';
import { httpGet } from '../stack/http-get.ts';

const SAMPLES = 9;
/** The first answers include lazy start-up work (JIT, first connections); they are not counted. */
const DISCARDED = 2;
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

/** Median server-reported work time of a few sequential requests, with nothing else running. */
async function singleThreadMs(
  origin: string,
  { workload, mode }: { workload: string; mode: string },
  options: HarnessOptions,
): Promise<{ ms: number; samples: number }> {
  const query = new URLSearchParams(options.params[workload]).toString();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const res = await httpGet(`${origin}/${workload}/${mode}?${query}`);
    const body = (await res.json()) as { durationMs?: unknown };
    if (!res.ok || typeof body.durationMs !== 'number')
      throw new Error(
        `baseline request /${workload}/${mode}?${query} failed with ${res.status}: ${JSON.stringify(body)}`,
      );
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
  for (const cpu of cpuWorkloads(options)) {
    const { ms, samples } = await singleThreadMs(origin, cpu, options);
    baseline[cpu.workload] = { msPerRequest: ms, samples, atEndMs: null };
  }
  return baseline;
}

/**
 * The same measurement after the load: the bounds keep the start figure, and the two together show how
 * far the single-thread cost drifted while the run went on.
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
    const { ms } = await singleThreadMs(origin, cpu, options);
    baseline[cpu.workload] = { ...first, atEndMs: ms };
  }
  return baseline;
}
