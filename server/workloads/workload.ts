import type { AsyncClients, SyncClients } from '../clients/index.ts';
import type { ServerFacts } from '../../contract/server-facts.ts';
import type { ParamSpecs, ParamValues } from '../../lib/params.ts';
import type { ModeWait } from '../../contract/bound.ts';
import type { Mode } from '../../contract/modes.ts';

export { MODES, type Mode } from '../../contract/modes.ts';
export { isMode } from './modes.ts';

/** What a workload returns: plain JSON data (it crosses thread boundaries by structured clone). */
export type WorkResult = Record<string, unknown>;

/** A limit spanning several parameters that a request breaks: answered 400 `{error, param, allowed}`. */
export interface ParamProblem {
  readonly param: string;
  readonly error: string;
  readonly allowed: string;
}

/**
 * What limits a workload's throughput, for the load harness's "of bound" column. It is evaluated by
 * the server for the parameters of a run (`GET /<name>/bound?…`), because a function cannot cross HTTP.
 * - `wait`: each request waits a known time; the harness applies Little's law with each mode's
 *   concurrency. Return null (or leave a mode out) where there is no wait to speak of.
 * - `cpu`: the harness measures the single-thread cost and multiplies by the threads a mode can use;
 *   `libuv` says the async form's work runs on libuv's thread pool (crypto.pbkdf2, zlib.gzip, …).
 */
export type BoundModel<S extends ParamSpecs = ParamSpecs> =
  | { readonly kind: 'wait'; waits(params: ParamValues<S>, facts: ServerFacts): Partial<Record<Mode, ModeWait>> | null }
  | { readonly kind: 'cpu'; libuv?(params: ParamValues<S>): boolean };

/** The dependency a workload exercises, so the harness's fault drill knows whose requests to watch. */
export interface FaultDrillUse {
  readonly dependency: 'database' | 'upstream';
  /** Query parameters of the drill's requests (small: the drill is about failures, not throughput). */
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * A workload file's default export (see docs/reference/workload-file.md). Only `name`,
 * `summary`, `params` and one form are required. Which modes exist follows from the forms:
 * - `blocking` (synchronous): the `blocking` mode, and the `worker` mode runs it in a pool thread;
 * - `async`: the `async` mode only where it is given;
 * - `inWorker`: what the `worker` mode runs instead (async, with the worker thread's own clients).
 * Methods (not arrow properties) on purpose: their parameter types stay bivariant, so one list can
 * hold workloads with different parameter shapes.
 */
export interface WorkloadDefinition<S extends ParamSpecs = ParamSpecs, R extends WorkResult = WorkResult> {
  /** Its path segment: `/<name>/<mode>`; lowercase letters, digits and dashes. */
  readonly name: string;
  readonly summary: string;
  readonly params: S;
  /** What each mode does for this workload, in words, for the index; a generic line where left out. */
  readonly modes?: Readonly<Partial<Record<Mode, string>>>;
  /** Limits that span several parameters (e.g. total wait): return the problem, or undefined. */
  check?(params: ParamValues<S>): ParamProblem | undefined;
  /** On the event-loop thread, synchronously; `io` does genuinely synchronous DB and HTTP calls. */
  blocking?(params: ParamValues<S>, io: SyncClients): R;
  /** On the event-loop thread, awaiting non-blocking APIs. */
  async?(params: ParamValues<S>, io: AsyncClients, signal: AbortSignal): Promise<R>;
  /**
   * Inside a pool worker thread, with that worker's own clients. `signal` is given when several tasks
   * share a thread (WORKER_CONCURRENCY > 1): it cancels this task's I/O without ending the thread.
   */
  inWorker?(params: ParamValues<S>, io: AsyncClients, signal?: AbortSignal): Promise<R>;
  /** Query parameters the load harness uses by default (else each parameter's default). */
  readonly loadtest?: { readonly params?: Readonly<Record<string, string | number>> };
  readonly bound?: BoundModel<S>;
  readonly faultDrill?: FaultDrillUse;
}

/**
 * Identity helper that infers a workload's parameter and result types. It only adds types: a plain
 * object as a file's default export works the same, so a workload file needs no runtime import.
 */
export function defineWorkload<const S extends ParamSpecs, R extends WorkResult, F extends Forms<S, R>>(
  workload: WorkloadDefinition<S, R> & F,
): WorkloadDefinition<S, R> & F {
  return workload;
}

/** The forms a definition gives: kept in the type `defineWorkload` returns, so callers can use them. */
type Forms<S extends ParamSpecs, R extends WorkResult> = Partial<
  Pick<WorkloadDefinition<S, R>, 'blocking' | 'async' | 'inWorker'>
>;

/** The clients a worker thread (or any process running worker forms) owns. */
export interface ThreadClients {
  readonly io: AsyncClients;
  /** Synchronous clients for a synchronous form run in the thread; opened on first use. */
  readonly syncIo: SyncClients;
}

type Values = ParamValues<ParamSpecs>;

/** A definition checked and completed by resolve.ts: what the routes, the index and the workers use. */
export interface Workload {
  readonly name: string;
  readonly summary: string;
  readonly params: ParamSpecs;
  /** The file it came from, or "built-in". */
  readonly source: string;
  /** The modes it has, in the order of MODES. */
  readonly modes: readonly Mode[];
  /** What each of its modes does. */
  readonly describe: Readonly<Partial<Record<Mode, string>>>;
  check(params: Values): ParamProblem | undefined;
  readonly blocking?: (params: Values, io: SyncClients) => WorkResult;
  readonly async?: (params: Values, io: AsyncClients, signal: AbortSignal) => Promise<WorkResult>;
  /** The worker form: what a pool thread runs for the `worker` mode. */
  readonly worker?: (params: Values, clients: ThreadClients, signal?: AbortSignal) => Promise<WorkResult>;
  /** Default load-test query parameters, as strings, every parameter present. */
  readonly loadtestParams: Readonly<Record<string, string>>;
  readonly bound: BoundModel | undefined;
  readonly faultDrill: FaultDrillUse | undefined;
}
