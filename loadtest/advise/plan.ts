/**
 * The experiment `looplab advise` runs, planned before any load: every candidate screened once, then
 * interleaved repeats of the best few. The screen is ordered by how much each candidate tells, so a
 * tight `--budget` cuts the least telling ones — and names them.
 */
import { OptionsError } from '../cli/options-error.ts';
import type { ModeName } from '../types.ts';
import { type Candidate, candidateLabel } from './evidence.ts';

/** Candidates that go on to the repeats. */
export const FINALISTS = 3;

/**
 * Tasks per worker thread (WORKER_CONCURRENCY) tried for wait-type work, on a pool of one thread per
 * core. A thread whose task awaits a query or a fetch idles through the wait, so several tasks per
 * thread let it hold several waits, as the event loop does in async mode. 4: at advise's default load
 * (4 × cores in flight) every request then has a slot of its own — worker mode's best case against
 * async at that load. 16: four times as many, for loads of up to 16 × cores (--connections), where the
 * thread's own CPU per task and its own DB pool (WORKER_DB_POOL) become the limit instead of the slots.
 */
export const WAIT_CONCURRENCY = [4, 16] as const;

/** What decides the candidates beyond the modes: the machine, and for wait-type work the load. */
export interface CandidateContext {
  cores: number;
  /** The workload's bound is `wait` (fetch, db; a workload file's `bound.kind`): its tasks await. */
  waitType?: boolean;
  /** Requests in flight each candidate runs at (advise's --connections). */
  connections?: number;
}

/**
 * Every candidate for a workload: each mode it has, for worker mode each pool size from 1 to 2 × cores,
 * and for wait-type work a pool of one thread per core with each of WAIT_CONCURRENCY tasks per thread.
 * A level is left out when the one below it already has a slot for every request in flight (threads ×
 * tasks ≥ connections): the load cannot fill more, so it would measure the same server again.
 */
export function candidatesFor(modes: readonly ModeName[], context: CandidateContext): Candidate[] {
  const { cores, connections = Number.POSITIVE_INFINITY } = context;
  const concurrency = context.waitType
    ? WAIT_CONCURRENCY.filter((_, i) => i === 0 || cores * (WAIT_CONCURRENCY[i - 1] as number) < connections)
    : [];
  return modes.flatMap((mode): Candidate[] =>
    mode === 'worker'
      ? [
          ...Array.from({ length: 2 * cores }, (_, i) => ({ mode, workers: i + 1 })),
          ...concurrency.map((c) => ({ mode, workers: cores, concurrency: c })),
        ]
      : [{ mode }],
  );
}

/**
 * The order the screen runs in, most telling first: every mode without a pool, then a pool of one per
 * core (the usual answer for CPU work), one thread (the offload cost alone), then the other sizes
 * upwards, then the pools with several tasks per thread, fewer first (so a tight budget cuts those first).
 */
export function screenOrder(candidates: readonly Candidate[], cores: number): Candidate[] {
  const weight = (c: Candidate) =>
    c.concurrency !== undefined
      ? 3 + 2 * cores + c.concurrency
      : c.workers === undefined
        ? 0
        : c.workers === cores
          ? 1
          : c.workers === 1
            ? 2
            : 2 + c.workers;
  return [...candidates].sort((a, b) => weight(a) - weight(b));
}

export interface ExperimentPlan {
  screen: Candidate[];
  /** Cut for the budget, named in the output. */
  cut: Candidate[];
  finalists: number;
  repeats: number;
  /** Runs in all, and their expected seconds with start-up. */
  runs: number;
  expectedSeconds: number;
}

export interface PlanCosts {
  budgetSeconds: number;
  /** One run of one candidate, its server's restart included. */
  runSeconds: number;
  /** Starting the database, upstream and first server. */
  startSeconds: number;
  repeats: number;
}

/** The plan that fits the budget; a budget too small for the modes and one pool size is refused, with the time it would take. */
export function planExperiment(ordered: readonly Candidate[], costs: PlanCosts): ExperimentPlan {
  const seconds = (screened: number) =>
    costs.startSeconds + (screened + Math.min(FINALISTS, screened) * costs.repeats) * costs.runSeconds;
  // The least that can answer: every mode without a pool, and one pool size.
  const least = Math.min(ordered.length, ordered.filter((c) => c.workers === undefined).length + 1);
  let fits = ordered.length;
  while (fits > 0 && seconds(fits) > costs.budgetSeconds) fits--;
  if (fits < least) {
    const finalists = Math.min(FINALISTS, least);
    throw new OptionsError(
      `--budget: ${costs.budgetSeconds} s is too short; the smallest experiment (${ordered
        .slice(0, least)
        .map(candidateLabel)
        .join(
          ', ',
        )} screened, then ${finalists} × ${costs.repeats} repeats) takes about ${Math.ceil(seconds(least))} s`,
    );
  }
  const finalists = Math.min(FINALISTS, fits);
  return {
    screen: ordered.slice(0, fits),
    cut: ordered.slice(fits),
    finalists,
    repeats: costs.repeats,
    runs: fits + finalists * costs.repeats,
    expectedSeconds: Math.round(seconds(fits)),
  };
}
