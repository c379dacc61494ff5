import type { Load } from './drive.ts';
import type { GeneratorReport } from './generator-job.ts';
import { createLatencyRecorder } from './latency-histogram.ts';
import { createOutcomeLog } from './outcome-log.ts';

/**
 * One load from several generators' reports, as if one generator had sent it all: histograms added
 * (never percentiles averaged), counts summed, timelines joined on the shared start (a performance.now()
 * time of this process). The closed model's window is the longest generator's (each autocannon stops on
 * its own 1 s tick); the open model's is the whole schedule's, requests due ÷ rate, as with one generator.
 */
export function mergeReports(
  model: 'closed' | 'open',
  reports: readonly GeneratorReport[],
  start: number,
  rate: number | undefined,
): Load {
  const log = createOutcomeLog(start);
  const sendLag = createLatencyRecorder();
  let due = 0;
  let dropped = 0;
  let abandoned = 0;
  for (const report of reports) {
    log.absorb(report.log);
    if (report.sendLag) sendLag.add(report.sendLag);
    due += report.due;
    dropped += report.dropped;
    abandoned += report.abandoned;
  }
  const windowSeconds =
    model === 'open' && rate !== undefined ? due / rate : Math.max(0, ...reports.map((r) => r.windowSeconds));
  return {
    model,
    due,
    windowSeconds,
    log,
    dropped,
    abandoned,
    sendLag: model === 'open' ? sendLag.summary() : null,
    childCpuSeconds: reports.map((r) => r.cpuSeconds),
  };
}

/** Connections split across generators so they sum to the total: the first `total % count` get one more. */
export function splitConnections(total: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(total / count) + (i < total % count ? 1 : 0));
}
