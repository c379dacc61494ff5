import type { Stall } from './attribute.ts';
import type { RotationCost } from './sampler.ts';

/** How far back windowed reports can reach: the last 10 minutes, and at most this many stalls. */
export interface HistoryLimits {
  retainUs: number;
  maxStalls: number;
  maxRotations: number;
}

export const HISTORY: Readonly<HistoryLimits> = Object.freeze({
  retainUs: 10 * 60 * 1_000_000,
  maxStalls: 20_000,
  maxRotations: 2_000,
});

export interface Selection {
  /** The stalls that started in the span, oldest first. */
  stalls: Stall[];
  /** The profile rotations in the span, and what they cost the loop. */
  rotations: RotationCost;
  /** False when stalls were dropped from the history that may have started in the span. */
  complete: boolean;
}

/**
 * The recent stalls, each with its own tallies, so that a report can be made for any recent span of time.
 * Memory stays bounded: stalls that ended more than `retainUs` ago, and the oldest past `maxStalls`, are
 * dropped, and so are rotations past the same age or count.
 */
export function createHistory(startUs: number, limits: Readonly<HistoryLimits> = HISTORY) {
  const stalls: Stall[] = [];
  const rotations: { atUs: number; ms: number }[] = [];
  /** Stalls that started before this may have been dropped. */
  let keptFromUs = startUs;
  const prune = (nowUs: number) => {
    const oldest = nowUs - limits.retainUs;
    let drop = 0;
    while (drop < stalls.length && ((stalls[drop] as Stall).endUs < oldest || stalls.length - drop > limits.maxStalls))
      drop += 1;
    if (drop > 0) keptFromUs = Math.max(keptFromUs, (stalls[drop - 1] as Stall).endUs);
    stalls.splice(0, drop);
    let dropRotations = 0;
    while (
      dropRotations < rotations.length &&
      ((rotations[dropRotations]?.atUs ?? 0) < oldest || rotations.length - dropRotations > limits.maxRotations)
    )
      dropRotations += 1;
    rotations.splice(0, dropRotations);
  };
  return {
    add(stall: Stall, nowUs: number): void {
      stalls.push(stall);
      prune(nowUs);
    },
    addRotation(atUs: number, ms: number): void {
      rotations.push({ atUs, ms });
      prune(atUs);
    },
    /** What happened in [fromUs, toUs): a stall belongs to the span it started in, never to two. */
    select(fromUs: number, toUs: number): Selection {
      const cost: RotationCost = { rotations: 0, maxMs: 0, totalMs: 0 };
      for (const rotation of rotations) {
        if (rotation.atUs < fromUs || rotation.atUs >= toUs) continue;
        cost.rotations += 1;
        cost.totalMs += rotation.ms;
        cost.maxMs = Math.max(cost.maxMs, rotation.ms);
      }
      return {
        stalls: stalls.filter((stall) => stall.startUs >= fromUs && stall.startUs < toUs),
        rotations: cost,
        complete: fromUs >= keptFromUs,
      };
    },
  };
}
