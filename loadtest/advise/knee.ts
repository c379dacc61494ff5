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

/** The worker-pool curve: each worker-mode candidate that was not mostly refused, by thread count. */
export function poolKnee(table: readonly Evidence[], usable: (e: Evidence) => boolean): Knee | null {
  return kneeOf(
    table
      .filter((e) => e.candidate.mode === 'worker' && e.candidate.workers !== undefined && usable(e))
      .map((e) => ({ x: e.candidate.workers as number, rps: median(e.rps), p99Ms: e.p99Ms })),
  );
}

/** The in-flight limit for a server at its concurrency knee, with Little's law as the check. */
export interface InFlightAdvice {
  knee: Knee;
  /** Little's law at the knee: requests in flight = throughput × mean time in the system (here the p50). */
  littleL: number;
  /** The limit to configure (e.g. @fastify/under-pressure's maxEventLoopDelay aside, a concurrency limiter's max). */
  limit: number;
  /** True when Little's L and the knee's concurrency agree within 25%: the knee is the server's own capacity. */
  agrees: boolean;
}

/**
 * From a concurrency sweep against any server (`--target`): points are connections with their median
 * throughput, p99 and p50. The limit is Little's L at the knee, rounded, at least 1: what the server
 * holds in flight when it is at its best throughput, without the queueing beyond it.
 */
export function inFlightAdvice(points: ReadonlyArray<CurvePoint & { p50Ms: number | null }>): InFlightAdvice | null {
  const knee = kneeOf(points);
  if (!knee) return null;
  const atKnee = points.find((p) => p.x === knee.at.x);
  const p50 = atKnee?.p50Ms ?? null;
  const littleL = p50 === null ? knee.at.x : (knee.at.rps * p50) / 1000;
  const limit = Math.max(1, Math.round(littleL));
  return { knee, littleL, limit, agrees: Math.abs(littleL - knee.at.x) <= 0.25 * knee.at.x };
}
