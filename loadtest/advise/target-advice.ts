/** `looplab advise --target URL`: the in-flight limit from a concurrency sweep of any server (knee.ts). */
import { fmtMs, fmtRate } from '../report/format.ts';
import type { Results } from '../types.ts';
import { type InFlightAdvice, inFlightAdvice } from './knee.ts';

export interface TargetAdvice extends InFlightAdvice {
  target: string;
  paragraph: string;
}

export function buildTargetAdvice(target: string, results: Results): TargetAdvice | null {
  const points = results.scenarios.map((s) => ({
    x: s.scenario.connections,
    rps: s.summary.rps.median,
    p99Ms: s.summary.p99?.median ?? null,
    p50Ms: s.summary.p50?.median ?? null,
  }));
  const advice = inFlightAdvice(points);
  if (!advice) return null;
  const { knee, littleL, limit, agrees } = advice;
  const at = points.find((pt) => pt.x === knee.at.x);
  const paragraph = [
    `Limit ${target} to ${limit} request(s) in flight (a concurrency limiter's max, or a proxy's connections to it).`,
    `Its throughput levels off at ${knee.at.x} in flight: ${fmtRate(knee.at.rps)} req/s, p99 ${fmtMs(knee.at.p99Ms ?? undefined)}; at ${knee.last.x} in flight it served ${fmtRate(knee.last.rps)} req/s at p99 ${fmtMs(knee.last.p99Ms ?? undefined)} — the extra requests only waited.`,
    `Little's law checks it: ${fmtRate(knee.at.rps)} req/s × p50 ${fmtMs(at?.p50Ms ?? undefined)} = ${littleL.toFixed(1)} in flight${agrees ? ', which agrees with the knee' : `, which does not agree with the knee's ${knee.at.x} within 25%: the sweep's steps are coarse there, or the latency includes waiting outside the server`}.`,
  ];
  return { ...advice, target, paragraph: paragraph.join(' ') };
}
