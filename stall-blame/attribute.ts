import type { Profiler, Runtime } from 'node:inspector';
import { culpritOf, type Culprit } from './frames.ts';
import type { Span } from './stall-detector.ts';

/** Stall time per culprit, keyed by function, file and line; contexts are tallied apart. */
export interface Tally {
  culprit: Omit<Culprit, 'context'>;
  us: number;
  contexts: Map<string | null, number>;
}

export type Tallies = Map<string, Tally>;

/** Each node's culprit, from the stack that leads to it (root first). */
function culpritsByNode(profile: Profiler.Profile): Map<number, Culprit | null> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const culprits = new Map<number, Culprit | null>();
  for (const node of profile.nodes) {
    const stack: Runtime.CallFrame[] = [];
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame) stack.unshift(frame);
    }
    culprits.set(node.id, culpritOf(stack));
  }
  return culprits;
}

/**
 * Adds to `tallies` the time of every sample of `profile` that falls inside a stall window. A sample
 * stands for the time from its timestamp to the next one (the last: to the profile's end), so samples are
 * weighted by their time deltas, not counted: a thread stuck in native code is sampled less often, not
 * for less time. A sample that straddles a window's edge counts only for its overlap. Returns the
 * microseconds of stall the samples covered, and of those the ones with nothing to blame (an idle loop).
 */
export function attribute(profile: Profiler.Profile, windows: readonly Span[], tallies: Tallies): { coveredUs: number; idleUs: number } {
  const culprits = culpritsByNode(profile);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let coveredUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  let w = 0;
  for (let i = 0; i < samples.length; i += 1) {
    at += deltas[i] ?? 0;
    const until = i + 1 < samples.length ? at + (deltas[i + 1] ?? 0) : profile.endTime;
    while (w < windows.length && (windows[w] as Span).endUs <= at) w += 1;
    for (let k = w; k < windows.length && (windows[k] as Span).startUs < until; k += 1) {
      const window = windows[k] as Span;
      const overlap = Math.min(until, window.endUs) - Math.max(at, window.startUs);
      if (overlap <= 0) continue;
      coveredUs += overlap;
      const culprit = culprits.get(samples[i] as number) ?? null;
      if (!culprit) {
        idleUs += overlap;
        continue;
      }
      const { context, ...where } = culprit;
      const key = `${where.frame}\u0000${where.file}\u0000${where.line}`;
      const tally = tallies.get(key) ?? { culprit: where, us: 0, contexts: new Map() };
      tally.us += overlap;
      tally.contexts.set(context, (tally.contexts.get(context) ?? 0) + overlap);
      tallies.set(key, tally);
    }
  }
  return { coveredUs, idleUs };
}
