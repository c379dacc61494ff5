/**
 * Every way a workload request fails, defined once: its stable code, HTTP status, the reason label of
 * `looplab_request_failures_total`, and the message of its JSON body. toHttpError and failureReason
 * (server/http/error-mapping.ts), the metric's help text (server/observation/metrics.ts) and docs/reference/errors.md are
 * derived from this table.
 */
import { HttpError, type ErrorDetails } from './http-error.ts';

export interface ErrorCodeSpec {
  readonly status: 499 | 500 | 502 | 503 | 504;
  /** The `reason` label of `looplab_request_failures_total`. */
  readonly reason: string;
  /** The body's `error`; a function when it names what failed (OverloadError's resource). */
  readonly message: string | ((cause: Error) => string);
  /** How the message reads in the reference when it is a function. */
  readonly messageDoc?: string;
  /** The body carries `code` with this code (bodies predating the registry do not, and keep their shape). */
  readonly codeInBody?: true;
  /** Answered with `Retry-After: 1`: nothing was done, and trying again soon may succeed. */
  readonly retryAfter?: true;
  /** When it happens, for the reference page. */
  readonly doc: string;
}

export const ERROR_CODES = {
  OVERLOADED: {
    status: 503,
    reason: 'overloaded',
    message: (cause) => `${cause.message}; retry later`,
    messageDoc: 'the worker pool / database pool / BullMQ queue is full; retry later',
    codeInBody: true,
    retryAfter: true,
    doc: 'a bounded queue (`WORKER_QUEUE`, `DB_QUEUE`, `QUEUE_MAX`) is full: refused before any work started',
  },
  UNDER_PRESSURE: {
    status: 503,
    reason: 'under_pressure',
    message: 'the server is under pressure: its event loop stalled',
    codeInBody: true,
    retryAfter: true,
    doc: 'load shedding (`SHED_LOOP_DELAY_MS`): the event loop stalled longer than the threshold moments ago; the body adds `eventLoopDelayMs`',
  },
  DEADLINE: {
    status: 504,
    reason: 'deadline',
    message: 'the request took longer than its deadline',
    doc: 'the request ran past `REQUEST_TIMEOUT_MS`; async and worker work is cancelled. The body adds `deadlineMs`',
  },
  CLIENT_CLOSED: {
    status: 499,
    reason: 'client_closed',
    message: 'client closed the request',
    doc: "the caller hung up and its work was cancelled (nginx's 499); logged at info, not as an error",
  },
  WORKER_CRASHED: {
    status: 500,
    reason: 'worker_crash',
    message: 'a worker thread failed while running the task; it has been replaced',
    codeInBody: true,
    doc: 'a worker thread died while running the task (it threw outside the task, or was killed)',
  },
  QUEUE_UNAVAILABLE: {
    status: 503,
    reason: 'queue_unavailable',
    message: 'the job queue is unavailable',
    codeInBody: true,
    retryAfter: true,
    doc: "`queue` mode: the job could not be added, the queue's backend (PostgreSQL or Redis) refused or is unreachable",
  },
  QUEUE_JOB_FAILED: {
    status: 500,
    reason: 'queue_job_failed',
    message: 'the queue job failed (it stalled too often or was discarded)',
    codeInBody: true,
    doc: '`queue` mode: BullMQ failed the job itself, it stalled more often than allowed or a worker discarded it',
  },
  UPSTREAM_STATUS: {
    status: 502,
    reason: 'upstream_error',
    message: 'the upstream answered with an error',
    doc: '`fetch`: the upstream answered with an error status; the body adds `upstreamStatus`',
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    reason: 'dependency_timeout',
    message: 'the upstream did not answer in time',
    doc: '`fetch`: the upstream call ran past `UPSTREAM_TIMEOUT_MS`',
  },
  UPSTREAM_UNREACHABLE: {
    status: 502,
    reason: 'upstream_unreachable',
    message: 'the upstream could not be reached',
    doc: "`fetch`: the upstream refused or broke the connection; the body adds the cause's `code` when it has one",
  },
  DB_TIMEOUT: {
    status: 504,
    reason: 'dependency_timeout',
    message: 'the database did not answer in time',
    doc: '`db` in `blocking` mode: the synchronous query did not come back in time',
  },
  DB_UNAVAILABLE: {
    status: 503,
    reason: 'db_unavailable',
    message: 'the database is unavailable',
    retryAfter: true,
    doc: "`db`: the database is unreachable, or was moments ago (then refused at once); the body adds the cause's `code` when it has one",
  },
  INTERNAL: {
    status: 500,
    reason: 'internal',
    message: 'internal error',
    doc: 'anything else; the log has the cause, the body never does',
  },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The HttpError a failure with this code is answered with. `details` adds fields to the body (the cause's
 * code, `deadlineMs`, …); `cause` gives a message function what failed.
 */
export function httpErrorFor(code: ErrorCode, details: ErrorDetails = {}, cause?: Error): HttpError {
  const spec: ErrorCodeSpec = ERROR_CODES[code];
  const message = typeof spec.message === 'string' ? spec.message : spec.message(cause ?? new Error(code));
  return new HttpError(
    spec.status,
    message,
    { ...(spec.codeInBody ? { code } : {}), ...details },
    spec.retryAfter ? { 'Retry-After': '1' } : {},
    code,
  );
}

/** The reason labels, each once, in the registry's order (the metric's label values). */
export function failureReasons(): string[] {
  return [...new Set(Object.values(ERROR_CODES).map((spec) => spec.reason))];
}
