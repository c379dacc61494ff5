/** `looplab advise --target URL`: the in-flight limit from a concurrency sweep of any server (knee.ts). */
import { fmtMs, fmtRate } from '../report/format.ts';
import type { ReportLead } from '../report/report-lead.ts';
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
  const { knee, littleL, limit, agrees, serviceMs, serviceAt } = advice;
  const paragraph = [
    `Limit ${target} to ${limit} request(s) in flight (a concurrency limiter's max, or a proxy's connections to it).`,
    `By Little's law it works on ${littleL.toFixed(1)} at once at its best: ${fmtRate(knee.peak.rps)} req/s (at ${knee.peak.x} in flight) × p50 ${fmtMs(serviceMs)}, the time one request took without waiting (at ${serviceAt} in flight).`,
    `Its throughput levels off at ${knee.at.x} in flight (${fmtRate(knee.at.rps)} req/s, p99 ${fmtMs(knee.at.p99Ms ?? undefined)}); at ${knee.last.x} in flight it served ${fmtRate(knee.last.rps)} req/s at p99 ${fmtMs(knee.last.p99Ms ?? undefined)} — the extra requests only waited.`,
    agrees
      ? 'The sweep agrees: its knee is the first level at or above that.'
      : `The sweep does not bracket it within 25% (knee at ${knee.at.x}): the server's throughput may still rise past the levels tried, or its latency holds waiting outside it.`,
  ];
  return { ...advice, target, paragraph: paragraph.join(' ') };
}

/** The answer for a `--target` sweep as the terminal and both reports show it: the paragraph and the in-flight curve. */
export function targetLead(advice: TargetAdvice): ReportLead {
  return {
    title: `Advice for ${advice.target}`,
    paragraph: advice.paragraph,
    tables: [],
    notes: [
      `in-flight curve: ${advice.knee.points.map((pt) => `${pt.x}→${fmtRate(pt.rps)}/s p99 ${fmtMs(pt.p99Ms ?? undefined)}`).join(', ')}; knee at ${advice.knee.at.x}`,
    ],
    curve: {
      title: 'Concurrency curve: throughput by requests in flight',
      xLabel: 'requests in flight',
      points: advice.knee.points,
      markX: advice.knee.at.x,
    },
  };
}
