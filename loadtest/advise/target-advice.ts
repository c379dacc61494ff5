/**
 * `looplab advise --target URL`: the in-flight limit from a concurrency sweep of any server (knee.ts),
 * and with `--blame-url` the functions to move off its event loop (move-off.ts).
 */
import { fmtMs, fmtPercent, fmtRate } from '../report/format.ts';
import type { Results } from '../types.ts';
import { type InFlightAdvice, inFlightAdvice } from './knee.ts';
import { type MoveOffAdvice, moveOffAdvice, whereIs } from './move-off.ts';

export interface TargetAdvice extends InFlightAdvice {
  target: string;
  /** With --blame-url: the functions to move off the event loop; null without it. */
  moveOff: MoveOffAdvice | null;
  paragraph: string;
}

/** The stall blame in a sentence or two: what held the loop, and what to move off it. */
function moveOffSentence(m: MoveOffAdvice): string {
  const read = m.windowMs > 0;
  if (!read) return `The stall blame at ${m.blameUrl} could not be read (${m.errors.join('; ')}).`;
  if (m.stalls === 0)
    return `The event loop never stalled past ${m.stallThresholdMs} ms over the sweep (stall blame from ${m.blameUrl}): nothing to move off it.`;
  const stalled =
    `The event loop stalled ${fmtMs(m.stallMs)} of ${fmtMs(m.windowMs)} over the sweep (${m.stalls} stall(s) over ` +
    `${m.stallThresholdMs} ms${m.cpuWaitMs > 0 ? `, ${fmtMs(m.cpuWaitMs)} of it waiting for a CPU` : ''})`;
  if (m.functions.length === 0) return `${stalled}, and no function of the server's own code held it.`;
  const listed = m.functions.map(
    (f) => `${whereIs(f)}${f.calling ? ` (calling ${f.calling})` : ''} ${fmtPercent(f.share)}`,
  );
  return `${stalled}; move these off it — to a worker thread, or an async API where one exists — by share of the stalled time: ${listed.join(', ')}.`;
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
    `By Little's law it works on ${littleL.toFixed(1)} at once at its best: ${fmtRate(knee.peak.rps)} req/s (at ` +
      `${knee.peak.x} in flight) × p50 ${fmtMs(serviceMs)}, the time one request took without waiting (at ` +
      `${serviceAt} in flight).`,
    `Its throughput levels off at ${knee.at.x} in flight (${fmtRate(knee.at.rps)} req/s, p99 ` +
      `${fmtMs(knee.at.p99Ms ?? undefined)}); at ${knee.last.x} in flight it served ${fmtRate(knee.last.rps)} req/s ` +
      `at p99 ${fmtMs(knee.last.p99Ms ?? undefined)} — the extra requests only waited.`,
    agrees
      ? 'The sweep agrees: its knee is the first level at or above that.'
      : `The sweep does not bracket it within 25% (knee at ${knee.at.x}): the server's throughput may still rise past ` +
        `the levels tried, or its latency holds waiting outside it.`,
  ];
  const moveOff = moveOffAdvice(results);
  if (moveOff) paragraph.push(moveOffSentence(moveOff));
  return { ...advice, target, moveOff, paragraph: paragraph.join(' ') };
}
