import type { ServerFacts } from '../deps.ts';
import type { ParamSpecs, ParamValues } from '../../lib/params.ts';
import { MODE_TRAITS, type Concurrency, type CpuThreads, type Mode } from './modes.ts';
import type { ModeWait, Workload } from './workload.ts';

/**
 * A workload's bound model evaluated for one set of parameters: plain data, what
 * `GET /<name>/bound?…` answers and the load harness turns into requests per second.
 */
export type BoundAnswer =
  | { kind: 'wait'; modes: Partial<Record<Mode, ModeWait & { concurrency: Concurrency }>> }
  | { kind: 'cpu'; modes: Partial<Record<Mode, { threads: CpuThreads }>> };

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
