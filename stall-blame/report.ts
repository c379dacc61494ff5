import type { Tallies } from './attribute.ts';
import type { Culprit } from './frames.ts';
import type { RotationCost } from './sampler.ts';
import type { LoopDelay } from './delay-history.ts';
import type { StallSummary } from './summary.ts';

/** One line of blame: a culprit and how much of the stall time was spent in it. */
export interface BlameLine extends Culprit {
  ms: number;
  /** Of the blamed stall time (the sum of every line's ms), 0..1. */
  share: number;
}

/** What stalled the event loop between `window.startedAt` and `window.endedAt`. */
export interface BlameReport {
  /** `fromUs`/`toUs`: the same span on the process's monotonic clock (`GET /mark`), µs. */
  window: { startedAt: string; endedAt: string; ms: number; fromUs: number; toUs: number };
  /**
   * False when the span reaches back past the kept history (the last 10 minutes, at most 20 000 stalls)
   * and stalls were dropped from it that may have started in the span; the whole-life report is complete.
   */
  complete: boolean;
  options: { stallThresholdMs: number; samplingIntervalUs: number; heartbeatMs: number; segmentMs: number };
  /** Stalls that started in the window: spans where a heartbeat due then ran more than `stallThresholdMs` late. */
  stalls: number;
  stallMs: number;
  longestStallMs: number;
  /** Stall time the profile's samples covered; short of `stallMs` when the profiler was not running (its own rotations). */
  sampledMs: number;
  /** Of `sampledMs`, time with nothing to blame: the loop idle (the process waited for a CPU) or the profiler's own work. */
  idleMs: number;
  /**
   * Of the rest, the time of stalls that were waits for a CPU (Linux's run-queue delay, 0 elsewhere): the
   * main thread ran for less than the threshold in them, so the machine was busy, not the code. Not blamed.
   */
  cpuWaitMs: number;
  /** Sorted by ms, largest first. */
  culprits: BlameLine[];
  /** What the profiler's own segment rotations in the window cost the event loop. */
  profiler: RotationCost;
  /**
   * A window's loop delay as the heartbeat saw it (how late its ticks were; null when no tick fell in
   * it). Only in windowed reports (`GET /?from&to`): what `--target … --blame-url` reads as the
   * server's loop delay, for a server without looplab's `/metrics`.
   */
  loopDelay?: LoopDelay | null;
}

/** The report of `summary` over `window`. */
export function buildReport(
  summary: StallSummary,
  fields: Pick<BlameReport, 'window' | 'options' | 'complete' | 'profiler' | 'loopDelay'>,
): BlameReport {
  return {
    window: fields.window,
    complete: fields.complete,
    options: fields.options,
    stalls: summary.count,
    stallMs: summary.totalUs / 1000,
    longestStallMs: summary.longestUs / 1000,
    sampledMs: summary.coveredUs / 1000,
    idleMs: summary.idleUs / 1000,
    cpuWaitMs: summary.cpuWaitUs / 1000,
    culprits: blameLines(summary.tallies),
    profiler: fields.profiler,
    ...(fields.loopDelay !== undefined ? { loopDelay: fields.loopDelay } : {}),
  };
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** The blamed lines from the tallies, sorted by ms; each takes the context it was seen in longest. */
export function blameLines(tallies: Tallies): BlameLine[] {
  const kept = [...tallies.values()].filter((tally) => tally.us > 0);
  const blamedUs = kept.reduce((sum, tally) => sum + tally.us, 0);
  return kept
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
    `(threshold ${report.options.stallThresholdMs} ms; samples cover ${round(report.sampledMs, 0)} ms, ${round(report.idleMs, 0)} ms of it idle, ` +
    `${round(report.cpuWaitMs, 0)} ms waiting for a CPU).`;
  if (report.culprits.length === 0) return `${head}\nNothing to blame.\n`;
  const rows = report.culprits
    .slice(0, top)
    .map(
      (line) =>
        `| ${describe(line).replaceAll('|', '\\|')} | ${line.ms.toFixed(1)} | ${(line.share * 100).toFixed(1)}% |`,
    );
  return [head, '', '| culprit | ms | share |', '|---|---:|---:|', ...rows, ''].join('\n');
}
