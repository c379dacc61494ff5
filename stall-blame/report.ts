import type { Tallies } from './attribute.ts';
import type { Culprit } from './frames.ts';
import type { RotationCost } from './sampler.ts';

/** One line of blame: a culprit and how much of the stall time was spent in it. */
export interface BlameLine extends Culprit {
  ms: number;
  /** Of the blamed stall time (the sum of every line's ms), 0..1. */
  share: number;
}

/** What stalled the event loop between `window.startedAt` and `window.endedAt`. */
export interface BlameReport {
  window: { startedAt: string; endedAt: string; ms: number };
  options: { thresholdMs: number; samplingIntervalUs: number; heartbeatMs: number; segmentMs: number };
  /** Stalls: spans where a heartbeat due then ran more than `thresholdMs` late. */
  stalls: number;
  stallMs: number;
  longestStallMs: number;
  /** Stall time the profile's samples covered; short of `stallMs` when the profiler was not running (its own rotations). */
  sampledMs: number;
  /** Of `sampledMs`, time with nothing to blame: the loop idle (the process waited for a CPU) or the profiler's own work. */
  idleMs: number;
  /** Sorted by ms, largest first. */
  culprits: BlameLine[];
  /** What the profiler's own segment rotations cost the event loop. */
  profiler: RotationCost;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** The blamed lines from the tallies, sorted by ms; each takes the context it was seen in longest. */
export function blameLines(tallies: Tallies): BlameLine[] {
  const blamedUs = [...tallies.values()].reduce((sum, tally) => sum + tally.us, 0);
  return [...tallies.values()]
    .sort((a, b) => b.us - a.us)
    .map((tally) => {
      const [context] = [...tally.contexts].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
      return { ...tally.culprit, context, ms: round(tally.us / 1000), share: round(tally.us / blamedUs, 3) };
    });
}

/** `pbkdf2Sync ← pbkdf2Digest server/workloads/hash-digests.ts:18`: what a culprit was calling, and where it is. */
export function describe(line: Culprit): string {
  const where = line.file ? ` ${line.file}${line.line ? `:${line.line}` : ''}` : '';
  return `${line.context ? `${line.context} ← ` : ''}${line.frame}${where}`;
}

/** The report as a Markdown table, with one sentence above it; `top` lines at most. */
export function renderBlameTable(report: BlameReport, top = 10): string {
  const head =
    `The loop stalled ${report.stalls} times for ${round(report.stallMs, 0)} ms of ${round(report.window.ms, 0)} ms ` +
    `(threshold ${report.options.thresholdMs} ms; samples cover ${round(report.sampledMs, 0)} ms, ${round(report.idleMs, 0)} ms of it idle).`;
  if (report.culprits.length === 0) return `${head}\nNothing to blame.\n`;
  const rows = report.culprits
    .slice(0, top)
    .map((line) => `| ${describe(line).replaceAll('|', '\\|')} | ${line.ms.toFixed(1)} | ${(line.share * 100).toFixed(1)}% |`);
  return [head, '', '| culprit | ms | share |', '|---|---:|---:|', ...rows, ''].join('\n');
}
