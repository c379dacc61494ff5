import type { Profiler, Runtime } from 'node:inspector';
import { culpritOf, type Culprit } from './frames.ts';
import type { StallSpan } from './stall-detector.ts';

/** Stall time per culprit, keyed by function, file and line; contexts are tallied apart. */
export interface Tally {
  culprit: Omit<Culprit, 'context'>;
  us: number;
  contexts: Map<string | null, number>;
}

export type Tallies = Map<string, Tally>;

/** One stall and what its samples were doing. */
export interface Stall extends StallSpan {
  tallies: Tallies;
  /** Stall time the samples covered, µs; and of it, time with nothing to blame (an idle loop). */
  coveredUs: number;
  idleUs: number;
  /** The rest of the covered time when the stall was a wait for a CPU: not the code's, so not in `tallies`. */
  cpuWaitUs: number;
}

export const newStall = (span: Omit<StallSpan, 'waitedForCpu'> & { waitedForCpu?: boolean }): Stall => ({
  ...span,
  waitedForCpu: span.waitedForCpu ?? false,
  tallies: new Map(),
  coveredUs: 0,
  idleUs: 0,
  cpuWaitUs: 0,
});

/** Adds `us` of `culprit` (its context included) to `tallies`. */
export function addTo(
  tallies: Tallies,
  key: string,
  culprit: Omit<Culprit, 'context'>,
  context: string | null,
  us: number,
): void {
  const tally = tallies.get(key) ?? { culprit, us: 0, contexts: new Map() };
  tally.us += us;
  tally.contexts.set(context, (tally.contexts.get(context) ?? 0) + us);
  tallies.set(key, tally);
}

/** Each sampled node's culprit, from the stack that leads to it (root first), worked out once per node. */
function culpritFinder(profile: Profiler.Profile): (id: number) => Culprit | null {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const known = new Map<number, Culprit | null>();
  return (id) => {
    if (known.has(id)) return known.get(id) ?? null;
    const stack: Runtime.CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame) stack.unshift(frame);
    }
    const culprit = culpritOf(stack);
    known.set(id, culprit);
    return culprit;
  };
}

/**
 * Charges to each stall the time of every sample of `profile` that falls inside it (stalls oldest first,
 * not overlapping). A sample stands for the time from its timestamp to the next one (the last: to the
 * profile's end), so samples are weighted by their time deltas, not counted: a thread stuck in native code
 * is sampled less often, not for less time. A sample that straddles a stall's edge counts only for its
 * overlap. Without stalls it returns at once: the stacks are only walked for samples that are charged.
 * A stall that was a wait for a CPU (`waitedForCpu`) charges no culprit: the sample taken before the
 * thread lost its CPU stands for the wait, whatever it was running; its time is the stall's `cpuWaitUs`.
 */
export function attribute(profile: Profiler.Profile, stalls: readonly Stall[]): void {
  if (stalls.length === 0) return;
  const culpritOfNode = culpritFinder(profile);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  let w = 0;
  for (let i = 0; i < samples.length && w < stalls.length; i += 1) {
    at += deltas[i] ?? 0;
    const until = i + 1 < samples.length ? at + (deltas[i + 1] ?? 0) : profile.endTime;
    while (w < stalls.length && (stalls[w] as Stall).endUs <= at) w += 1;
    for (let k = w; k < stalls.length && (stalls[k] as Stall).startUs < until; k += 1) {
      const stall = stalls[k] as Stall;
      const overlap = Math.min(until, stall.endUs) - Math.max(at, stall.startUs);
      if (overlap <= 0) continue;
      stall.coveredUs += overlap;
      const culprit = culpritOfNode(samples[i] as number);
      if (!culprit) {
        stall.idleUs += overlap;
        continue;
      }
      if (stall.waitedForCpu) {
        stall.cpuWaitUs += overlap;
        continue;
      }
      const { context, ...where } = culprit;
      addTo(stall.tallies, `${where.frame}\u0000${where.file}\u0000${where.line}`, where, context, overlap);
    }
  }
}
