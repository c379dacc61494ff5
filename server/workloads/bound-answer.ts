import type { ServerFacts } from '../../contract/server-facts.ts';
import type { ParamSpecs, ParamValues } from '../../lib/params.ts';
import type { BoundAnswer, CpuThreads } from '../../contract/bound.ts';
import type { Mode } from '../../contract/modes.ts';
import { MODE_TRAITS } from './modes.ts';
import type { Workload } from './workload.ts';

/** Null when the workload declares no model, or its model says there is no simple bound here. */
export function evaluateBound(
  workload: Workload,
  params: ParamValues<ParamSpecs>,
  facts: ServerFacts,
): BoundAnswer | null {
  const model = workload.bound;
  if (!model) return null;
  if (model.kind === 'cpu') {
    const libuv = model.libuv?.(params) ?? false;
    const threads = (mode: Mode): CpuThreads => (mode === 'async' && libuv ? 'libuv' : MODE_TRAITS[mode].cpuThreads);
    return { kind: 'cpu', modes: Object.fromEntries(workload.modes.map((m) => [m, { threads: threads(m) }])) };
  }
  const waits = model.waits(params, facts);
  if (!waits) return null;
  const modes = workload.modes.flatMap((m) => {
    const wait = waits[m];
    return wait && wait.ms > 0 ? [[m, { ...wait, concurrency: MODE_TRAITS[m].concurrency }] as const] : [];
  });
  return modes.length > 0 ? { kind: 'wait', modes: Object.fromEntries(modes) } : null;
}
