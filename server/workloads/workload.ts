import type { AsyncClients, SyncClients } from '../clients/index.ts';
import type { ParamSpecs, ParamValues } from '../../lib/params.ts';

export const MODES = ['blocking', 'async', 'worker'] as const;
export type Mode = (typeof MODES)[number];

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

/** What a workload returns: plain JSON data (it crosses thread boundaries by structured clone). */
export type WorkResult = Record<string, unknown>;

/**
 * One workload, runnable in each mode. Every mode must compute the same result for the same
 * parameters; only where the work happens differs.
 *
 * Methods (not arrow properties) on purpose: their parameter types stay bivariant, so the registry can
 * hold workloads with different parameter shapes in one list.
 */
export interface Workload<S extends ParamSpecs = ParamSpecs, R extends WorkResult = WorkResult> {
  readonly name: string;
  readonly summary: string;
  readonly params: S;
  /** What each mode does for this workload, for the index at `GET /`. */
  readonly modes: Readonly<Record<Mode, string>>;
  /** Limits that span several parameters (e.g. total wait); throws HttpError 400. */
  check?(params: ParamValues<S>): void;
  /** On the event-loop thread, synchronously. */
  blocking(params: ParamValues<S>, io: SyncClients): R;
  /** On the event-loop thread, awaiting non-blocking APIs. */
  async(params: ParamValues<S>, io: AsyncClients, signal: AbortSignal): Promise<R>;
  /**
   * Inside a pool worker thread, with that worker's own clients. `signal` is given when several tasks
   * share a thread (WORKER_CONCURRENCY > 1): it cancels this task's I/O without ending the thread.
   */
  inWorker(params: ParamValues<S>, io: AsyncClients, signal?: AbortSignal): Promise<R>;
}

/** Identity helper that infers a workload's parameter and result types. */
export function defineWorkload<const S extends ParamSpecs, R extends WorkResult>(workload: Workload<S, R>): Workload<S, R> {
  return workload;
}
