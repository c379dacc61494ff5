import { describe } from '../../stall-blame/report.ts';
import type { ProcessBlame, RunBlame } from '../measure/blame-window.ts';
import type { ScenarioResult } from '../types.ts';
import { fmtMs } from './format.ts';

/** A scenario's blame over all its runs: the culprits' ms added up by culprit. */
export interface ScenarioBlame {
  stallThresholdMs: number;
  windowMs: number;
  stalls: number;
  stallMs: number;
  cpuWaitMs: number;
  culprits: { culprit: string; ms: number; share: number }[];
  /** Why some runs have no figures. */
  errors: string[];
  /** A cluster: the same figures for each server process (by pid, over the runs), the ones above their merge. */
  processes?: (Omit<ScenarioBlame, 'processes' | 'unread'> & { pid: number })[];
  /** A cluster's processes not read in some run: `pid 123 exited within the window`. */
  unread?: string[];
}

/** The blame of `r`'s runs taken together; null when blame was off for them. */
export function scenarioBlame(r: Pick<ScenarioResult, 'runs'>): ScenarioBlame | null {
  const runs = r.runs.map((run) => run.blame).filter((b): b is RunBlame => b !== null && b !== undefined);
  if (runs.length === 0) return null;
  const merged = combine(runs);
  if (!runs.some((b) => b.processes)) return merged;
  const byPid = new Map<number, ProcessBlame[]>();
  for (const p of runs.flatMap((b) => b.processes ?? [])) byPid.set(p.pid, [...(byPid.get(p.pid) ?? []), p]);
  return {
    ...merged,
    processes: [...byPid].sort((a, b) => a[0] - b[0]).map(([pid, blames]) => ({ pid, ...combine(blames) })),
    unread: [...new Set(runs.flatMap((b) => (b.unread ?? []).map((u) => `pid ${u.pid} ${u.reason}`)))],
  };
}

/** Runs' (or one process's runs') blame added up, culprits by how they are described. */
function combine(runs: readonly RunBlame[]): ScenarioBlame {
  const read = runs.filter((b) => b.error === null);
  const byCulprit = new Map<string, number>();
  for (const line of read.flatMap((b) => b.culprits))
    byCulprit.set(describe(line), (byCulprit.get(describe(line)) ?? 0) + line.ms);
  const blamedMs = [...byCulprit.values()].reduce((a, b) => a + b, 0);
  const sum = (pick: (b: RunBlame) => number) => read.reduce((total, b) => total + pick(b), 0);
  return {
    stallThresholdMs: read[0]?.stallThresholdMs ?? 0,
    windowMs: sum((b) => b.windowMs),
    stalls: sum((b) => b.stalls),
    stallMs: sum((b) => b.stallMs),
    cpuWaitMs: sum((b) => b.cpuWaitMs),
    culprits: [...byCulprit]
      .map(([culprit, ms]) => ({ culprit, ms, share: blamedMs > 0 ? ms / blamedMs : 0 }))
      .sort((a, b) => b.ms - a.ms),
    errors: [...new Set(runs.flatMap((b) => (b.error === null ? [] : [b.error])))],
  };
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

/**
 * One line under a scenario: how long the loop stalled out of the window and the top culprits with
 * their ms and share, or in plain words that there was nothing to blame.
 */
export function blameLine(mode: string, blame: ScenarioBlame, top = 3): string {
  const head = `stall blame, ${mode}:`;
  if (blame.errors.length > 0 && blame.windowMs === 0) return `${head} not read (${blame.errors.join('; ')})`;
  const of = `of ${fmtMs(blame.windowMs)}`;
  if (blame.stalls === 0)
    return `${head} nothing to blame — the event loop never stalled past ${blame.stallThresholdMs} ms ${of}`;
  const stalled = `the loop stalled ${fmtMs(blame.stallMs)} ${of} (${blame.stalls} stall${blame.stalls === 1 ? '' : 's'} over ${blame.stallThresholdMs} ms)`;
  const waited = blame.cpuWaitMs > 0 ? `, ${fmtMs(blame.cpuWaitMs)} of it waiting for a CPU` : '';
  if (blame.culprits.length === 0) return `${head} ${stalled}${waited} — nothing in the code to blame`;
  const culprits = blame.culprits.slice(0, top).map((c) => `${c.culprit} ${fmtMs(c.ms)} ${pct(c.share)}`);
  return `${head} ${stalled}${waited} — ${culprits.join(', ')}`;
}

/**
 * The lines under a scenario: {@link blameLine}, and for a cluster the merge (stall time is process
 * time: two processes over 10 s are 20 s), then each process's own line, then which could not be read.
 */
export function blameLines(mode: string, blame: ScenarioBlame, top = 3): string[] {
  if (!blame.processes) return [blameLine(mode, blame, top)];
  const n = blame.processes.length;
  return [
    blameLine(`${mode}, ${n} process${n === 1 ? '' : 'es'} merged`, blame, top),
    ...blame.processes.map((p) => `  ${blameLine(`pid ${p.pid}`, p, top).replace(/^stall blame, /, '')}`),
    ...(blame.unread && blame.unread.length > 0
      ? [`  not read, so not in these figures: ${blame.unread.join('; ')}`]
      : []),
  ];
}
