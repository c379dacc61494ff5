/**
 * `looplab advise --target URL --blame-url URL2`: the functions to move off the event loop, from the
 * stall blame the preload collected over the whole sweep. Every level's runs count: a function that
 * stalls the loop does so at any load, and more runs give its share more samples.
 */
import { mergeCulprits } from '../measure/blame-merge.ts';
import type { RunBlame } from '../measure/blame-window.ts';
import type { Results } from '../types.ts';

/** Functions listed at most, largest share first. */
export const MOVE_OFF_TOP = 5;
/** Under 1% of the stalled time, moving a function would not shorten the stalls anyone sees. */
export const MOVE_OFF_MIN_SHARE = 0.01;

export interface MoveOffFunction {
  /** The function, as the profile names it. */
  frame: string;
  /** Where it is defined (relative to the server's working directory when inside it), 1-based line. */
  file: string;
  line: number | null;
  /** The native or library function it was calling (e.g. `pbkdf2Sync`); null when the time was its own. */
  calling: string | null;
  /** Stall time spent in it over the sweep, ms, and that as a share of all the stall time, 0..1. */
  ms: number;
  share: number;
}

export interface MoveOffAdvice {
  /** The stall-blame endpoint read. */
  blameUrl: string;
  stallThresholdMs: number;
  /** Summed over every run of the sweep: the measured windows, the stalls and their time, of it waits for a CPU. */
  windowMs: number;
  stalls: number;
  stallMs: number;
  cpuWaitMs: number;
  /** Functions in the server's own code (a file and line), largest share of the stall time first. */
  functions: MoveOffFunction[];
  /** Why some runs' blame could not be read. */
  errors: string[];
}

/** The sweep's stall blame as functions to move; null when blame was not collected (no --blame-url). */
export function moveOffAdvice(results: Pick<Results, 'scenarios'>): MoveOffAdvice | null {
  const blames = results.scenarios
    .flatMap((s) => s.runs)
    .map((run) => run.blame)
    .filter((b): b is RunBlame => b !== null && b !== undefined);
  const first = blames[0];
  if (!first) return null;
  const read = blames.filter((b) => b.error === null);
  const sum = (pick: (b: RunBlame) => number) => read.reduce((total, b) => total + pick(b), 0);
  const stallMs = sum((b) => b.stallMs);
  // The same function in every run is one culprit (merged by function, file and line, as a cluster's
  // processes are); each run stands in for a process here, so the per-process split is dropped.
  const merged = mergeCulprits(read.map((b, i) => ({ pid: i, culprits: b.culprits })));
  const functions = merged
    // Pseudo-frames ("(garbage collector)") and native code have no file, and Node's own (node:…) is
    // not the server's to move: what holds the loop there is its caller, listed in its own right.
    .filter((c): c is typeof c & { file: string } => c.file !== null && !c.file.startsWith('node:'))
    .map((c) => ({
      frame: c.frame,
      file: c.file,
      line: c.line,
      calling: c.context,
      ms: Number(c.ms.toFixed(1)),
      share: stallMs > 0 ? Number((c.ms / stallMs).toFixed(3)) : 0,
    }))
    .filter((f) => f.share >= MOVE_OFF_MIN_SHARE)
    .slice(0, MOVE_OFF_TOP);
  return {
    blameUrl: first.url,
    stallThresholdMs: read[0]?.stallThresholdMs ?? first.stallThresholdMs,
    windowMs: Number(sum((b) => b.windowMs).toFixed(1)),
    stalls: sum((b) => b.stalls),
    stallMs: Number(stallMs.toFixed(1)),
    cpuWaitMs: Number(sum((b) => b.cpuWaitMs).toFixed(1)),
    functions,
    errors: [...new Set(blames.flatMap((b) => (b.error === null ? [] : [b.error])))],
  };
}

/** `blockFor server.mjs:5`: a function where an engineer finds it. */
export const whereIs = (f: Pick<MoveOffFunction, 'frame' | 'file' | 'line'>): string =>
  `${f.frame} ${f.file}${f.line === null ? '' : `:${f.line}`}`;
