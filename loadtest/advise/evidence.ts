/**
 * What `looplab advise` decides from: one row per candidate (a mode, with a worker-pool size where the
 * mode has one), each figure one an engineer can read off the evidence table. The rules (rules.ts) see
 * nothing else, so the table is all it takes to check an answer by hand.
 */
import type { ModeName } from '../types.ts';

/** One way to run the workload: a mode, and for worker mode the pool's thread count. */
export interface Candidate {
  mode: ModeName;
  /** Worker threads (WORKERS) for worker mode; absent for modes that run on the event loop or elsewhere. */
  workers?: number;
  /**
   * Tasks each worker thread runs at once (WORKER_CONCURRENCY), tried for wait-type work only; absent = 1,
   * the server's default.
   */
  concurrency?: number;
}

export interface Evidence {
  candidate: Candidate;
  /** 2xx answers per second, one value per measured run (the screen's run first, then the repeats). */
  rps: number[];
  /** Medians over the runs; null where nothing could support the figure. */
  p99Ms: number | null;
  /** The /health canary's p99 during the load: what this candidate costs every other request. */
  healthP99Ms: number | null;
  /** Event-loop utilization, 0..1. */
  loopBusy: number | null;
  /** Server CPU time per 2xx answer, ms (all its threads). */
  cpuMsPerRequest: number | null;
  /** The server's resident memory at the end of the runs, MiB. */
  rssMb: number | null;
  /** Share of requests refused or failed (non-2xx and connection errors) over all the runs, 0..1. */
  refusedShare: number;
  /**
   * Cores other processes kept busy during the runs (the machine's busy cores less the server's and the
   * load generator's), median; null where the machine's CPU was not read. Other work on the machine takes
   * its share from whichever candidate runs, so it widens the spread of every figure above.
   */
  othersCores: number | null;
}

/**
 * Simpler first: async needs nothing but the event loop, a worker pool is a thread pool to size and feed,
 * a queue is a broker and worker processes to run. (`blocking` is not on the list: it is measured as the
 * reference, never recommended, since it stalls every other request the server holds.)
 */
export const SIMPLICITY: readonly ModeName[] = ['async', 'worker', 'queue'];

/** The mode shown for comparison only. */
export const REFERENCE_MODE: ModeName = 'blocking';

/** `async`, `worker ×2`, `worker ×2 c4` (4 tasks per thread): how a candidate is named in every table and sentence. */
export function candidateLabel(c: Candidate): string {
  const pool = c.workers === undefined ? c.mode : `${c.mode} ×${c.workers}`;
  return c.concurrency === undefined ? pool : `${pool} c${c.concurrency}`;
}

/** Sorts simpler first: by mode (SIMPLICITY, unknown modes last), then fewer threads, then fewer tasks per thread. */
export function simplerFirst(a: Candidate, b: Candidate): number {
  const rank = (m: ModeName) => {
    const i = SIMPLICITY.indexOf(m);
    return i === -1 ? SIMPLICITY.length : i;
  };
  return (
    rank(a.mode) - rank(b.mode) ||
    (a.workers ?? 0) - (b.workers ?? 0) ||
    (a.concurrency ?? 1) - (b.concurrency ?? 1) ||
    a.mode.localeCompare(b.mode)
  );
}
