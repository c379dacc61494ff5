import { spread } from '../loadtest/analyse/stats.ts';
import type { Spread } from '../loadtest/types.ts';
import { loadOnce, type LoadRun } from './load.ts';

/** One server + path that gets load. */
export interface BenchTarget {
  readonly key: string;
  readonly label: string;
  readonly url: string;
  /** The server process, for its CPU per request. */
  readonly pid?: number;
}

/** A ratio to report: subject req/s ÷ reference req/s, computed within each round. */
export interface Comparison {
  readonly label: string;
  readonly subject: string;
  readonly reference: string;
}

/**
 * The groups of targets of round `round` (0-based), called before it: the same servers every round, or
 * fresh processes (`--fresh-servers`, bench/main.ts). A target is warmed up the first time its server
 * appears.
 */
export type RoundTargets = (round: number) => Promise<readonly (readonly BenchTarget[])[]>;

export interface RoundsOptions {
  rounds: number;
  durationSeconds: number;
  /** Seconds of load on each target, not in the figures, before its first measured run on a new server. */
  warmupSeconds: number;
  connections: number;
  /** Called after each run, for progress output. */
  onRun?: (round: number, target: BenchTarget, run: LoadRun) => void;
}

export interface ComparisonResult extends Comparison {
  /** One throughput ratio per round: subject req/s ÷ reference req/s. */
  ratios: number[];
  ratio: Spread;
  /** Per round, reference CPU per request ÷ subject CPU per request (1 = as cheap); empty without /proc. */
  cpuRatios: number[];
  cpuRatio: Spread | null;
}

export interface RoundsResult {
  runs: Record<string, LoadRun[]>;
  /**
   * Per target, per server process it ran on (one, or one per round with fresh servers), the server's CPU
   * per request in each {@link WARMUP_CHUNK_SECONDS} of its warm-up (null without /proc): whether the
   * process had settled before its measured runs.
   */
  warmup: Record<string, (number | null)[][]>;
  comparisons: ComparisonResult[];
}

/** The warm-up runs in pieces this long, each measured, so a report can show the cost settling. */
export const WARMUP_CHUNK_SECONDS = 2;

/** The lengths of the warm-up's pieces: whole chunks, then what is left (5 s → 2, 2, 1). */
export function warmupChunks(seconds: number): number[] {
  const chunks: number[] = [];
  for (let left = seconds; left > 0; left -= WARMUP_CHUNK_SECONDS) chunks.push(Math.min(WARMUP_CHUNK_SECONDS, left));
  return chunks;
}

/**
 * Interleaved A/B rounds: every round loads each target once, groups of targets that are compared
 * run back to back, and the order within a group flips every round, so a drift of the shared
 * machine (another process waking up, the CPU warming) lands on both sides of a ratio alike.
 * The figure reported is the median of the per-round ratios, with their range as the spread.
 */
export async function runRounds(
  targetsOf: RoundTargets,
  comparisons: readonly Comparison[],
  options: RoundsOptions,
): Promise<RoundsResult> {
  const runs: Record<string, LoadRun[]> = {};
  const warmup: Record<string, (number | null)[][]> = {};
  const warmed = new Set<string>();
  for (let round = 0; round < options.rounds; round++) {
    const groups = await targetsOf(round);
    // Not in the figures: JIT warm-up, pools filled, connections opened. Recorded by piece, to show it settled.
    for (const target of groups.flat()) {
      // A new server listens on a new port: its URL names the process.
      if (warmed.has(`${target.key} ${target.url}`)) continue;
      warmed.add(`${target.key} ${target.url}`);
      const pieces: (number | null)[] = [];
      for (const seconds of warmupChunks(options.warmupSeconds))
        pieces.push((await loadOnce(target.url, options.connections, seconds, target.pid)).serverCpuUsPerRequest);
      (warmup[target.key] ??= []).push(pieces);
    }
    const flip = round % 2 === 1;
    for (const group of flip ? [...groups].reverse() : groups) {
      for (const target of flip ? [...group].reverse() : group) {
        const run = await loadOnce(target.url, options.connections, options.durationSeconds, target.pid);
        (runs[target.key] ??= []).push(run);
        options.onRun?.(round, target, run);
      }
    }
  }
  const of = (key: string, pick: (run: LoadRun) => number | null) => (runs[key] ?? []).map(pick);
  const ratiosOf = (top: (number | null)[], bottom: (number | null)[]) =>
    top.flatMap((x, i) => {
      const y = bottom[i];
      return x === null || y === null || y === undefined || y === 0 ? [] : [Math.round((x / y) * 1000) / 1000];
    });
  return {
    runs,
    warmup,
    comparisons: comparisons.map((c) => {
      const ratios = ratiosOf(
        of(c.subject, (r) => r.rps),
        of(c.reference, (r) => r.rps),
      );
      const cpuRatios = ratiosOf(
        of(c.reference, (r) => r.serverCpuUsPerRequest),
        of(c.subject, (r) => r.serverCpuUsPerRequest),
      );
      return {
        ...c,
        ratios,
        ratio: spread(ratios),
        cpuRatios,
        cpuRatio: cpuRatios.length > 0 ? spread(cpuRatios) : null,
      };
    }),
  };
}
