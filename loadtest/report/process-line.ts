import { median } from '../analyse/stats.ts';
import type { ScenarioResult } from '../types.ts';
import { fmtMs, fmtPercent } from './format.ts';

/**
 * One line under a cluster's scenario: each server process's event loop (busy share, delay p99 and
 * max, the median over the runs), then the totals the table's row shows (busy over all of them, delay
 * of the worst one): an average can hide one process blocked beside an idle one. Null for one process.
 */
export function processLoopLine(r: Pick<ScenarioResult, 'scenario' | 'runs'>): string | null {
  const byPid = new Map<number, { busy: number[]; p99: number[]; max: number[]; peakMb: number[] }>();
  for (const p of r.runs.flatMap((run) => run.server?.processes ?? [])) {
    const f = byPid.get(p.pid) ?? { busy: [], p99: [], max: [], peakMb: [] };
    f.busy.push(p.eventLoopUtilization);
    f.p99.push(p.eventLoopDelayP99Ms);
    f.max.push(p.eventLoopDelayMaxMs);
    const peak = p.rssPeakMb ?? p.rssEndMb;
    if (peak !== undefined) f.peakMb.push(peak);
    byPid.set(p.pid, f);
  }
  if (byPid.size < 2) return null;
  const parts = [...byPid]
    .sort((a, b) => a[0] - b[0])
    .map(
      ([pid, f]) =>
        `pid ${pid} busy ${fmtPercent(median(f.busy))}, delay p99 ${fmtMs(median(f.p99))}, max ${fmtMs(median(f.max))}` +
        (f.peakMb.length > 0 ? `, rss peak ${Math.max(...f.peakMb)} MB` : ''),
    );
  const runs = r.runs.flatMap((run) => (run.server ? [run.server] : []));
  const total =
    `total busy ${fmtPercent(median(runs.map((s) => s.eventLoopUtilization)))}, delay p99 ` +
    `${fmtMs(median(runs.map((s) => s.eventLoopDelayP99Ms)))} (worst process)`;
  return `event loop per process, ${r.scenario.mode}: ${parts.join('; ')} — ${total}`;
}
