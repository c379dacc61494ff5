/**
 * Knees (lesson 4 of the seeds: pool size has a sweet spot). Both curves are read the same way: the knee
 * is the smallest setting whose median throughput is within KNEE_SHARE of the curve's best — past it,
 * more threads (or more requests in flight) add under 10% throughput and, as the figures beside it
 * show, mostly latency.
 */
import { median } from '../analyse/stats.ts';
import type { Evidence } from './evidence.ts';

/** Within 10% of the best: closer than that, a screen's single runs cannot tell settings apart. */
export const KNEE_SHARE = 0.9;

export interface CurvePoint {
  /** The setting: worker threads, or requests in flight. */
  x: number;
  rps: number;
  p99Ms: number | null;
}

export interface Knee {
  /** The knee's setting and figures. */
  at: CurvePoint;
  /** The best throughput on the curve, and where. */
  peak: CurvePoint;
  /** The largest setting measured: its p99 against the knee's shows the latency more adds. */
  last: CurvePoint;
  points: CurvePoint[];
}

/** The knee of a curve of two settings or more; null with fewer. */
export function kneeOf(points: readonly CurvePoint[]): Knee | null {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const last = sorted.at(-1);
  if (sorted.length < 2 || !last) return null;
  const peak = sorted.reduce((best, p) => (p.rps > best.rps ? p : best));
  const at = sorted.find((p) => p.rps >= KNEE_SHARE * peak.rps) ?? peak;
  return { at, peak, last, points: sorted };
}

/**
 * The worker-pool curve: each worker-mode candidate that was not mostly refused, by thread count; one
 * task per thread only (a pool with WORKER_CONCURRENCY > 1 is another curve, not a point on this one).
 */
export function poolKnee(table: readonly Evidence[], usable: (e: Evidence) => boolean): Knee | null {
  return kneeOf(
    table
      .filter(
        (e) =>
          e.candidate.mode === 'worker' &&
          e.candidate.workers !== undefined &&
          e.candidate.concurrency === undefined &&
          usable(e),
      )
      .map((e) => ({ x: e.candidate.workers as number, rps: median(e.rps), p99Ms: e.p99Ms })),
  );
}

/** The in-flight limit for a server, from its concurrency sweep, by Little's law. */
export interface InFlightAdvice {
  knee: Knee;
  /**
   * Little's law at the server's best: the requests it works on at once = its best throughput × the time
   * one request takes without waiting (the lowest p50 of the sweep, normally at 1 in flight).
   */
  littleL: number;
  /** The p50 that stands for the time without waiting, ms, and the in-flight level it was measured at. */
  serviceMs: number;
  serviceAt: number;
  /** The limit to configure: Little's L, rounded, at least 1 (a concurrency limiter's max). */
  limit: number;
  /**
   * True when the sweep's own knee brackets Little's L (within 25%): the level before the knee holds
   * fewer, the knee at least as many. The levels double, so the knee alone is known within a factor of 2.
   */
  agrees: boolean;
}

/**
 * From a concurrency sweep against any server (`--target`): points are connections with their median
 * throughput, p99 and p50. Why not Little's law at the knee with the knee's own p50: in a closed-model
 * sweep the load generator keeps exactly that many in flight, so throughput × latency gives back the
 * connection count whatever the server does (a server serving 4 at a time, swept on a busy machine,
 * came out at 8: its throughput at 4 fell under 90% of the best through the client's own gaps). The
 * server's own concurrency is its best throughput times the time a request takes when it does not wait.
 */
export function inFlightAdvice(points: ReadonlyArray<CurvePoint & { p50Ms: number | null }>): InFlightAdvice | null {
  const knee = kneeOf(points);
  if (!knee) return null;
  const timed = points.filter((p): p is CurvePoint & { p50Ms: number } => p.p50Ms !== null && p.p50Ms > 0);
  if (timed.length === 0) return null;
  const alone = timed.reduce((best, p) => (p.p50Ms < best.p50Ms ? p : best));
  const littleL = (knee.peak.rps * alone.p50Ms) / 1000;
  const before = [...knee.points].reverse().find((p) => p.x < knee.at.x)?.x ?? 0;
  return {
    knee,
    littleL,
    serviceMs: alone.p50Ms,
    serviceAt: alone.x,
    limit: Math.max(1, Math.round(littleL)),
    agrees: littleL <= 1.25 * knee.at.x && littleL >= 0.75 * before,
  };
}
