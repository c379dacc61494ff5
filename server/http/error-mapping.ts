import { HttpError } from '../../lib/http-error.ts';

/** undici and Node codes that mean the upstream took too long, rather than refused or broke. */
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'SYNC_IO_TIMEOUT',
]);

function fieldsOf(err: unknown): { name: string; code?: string; status?: number } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    code?: unknown;
    status?: unknown;
  };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
  };
}

/**
 * Maps a failure of a workload's dependency to the status a caller can act on. The body names the
 * failing dependency but never its address, the SQL or a stack: those go to the log.
 */
export function toHttpError(workload: string, err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const { name, code, status } = fieldsOf(err);
  if (code === 'OVERLOADED') {
    // Refused before any work started: safe to retry, and soon, since queues drain in seconds.
    return new HttpError(503, `${(err as Error).message}; retry later`, { code }, { 'Retry-After': '1' });
  }
  if (code === 'WORKER_CRASHED')
    return new HttpError(500, 'a worker thread failed while running the task; it has been replaced', { code });
  if (code === 'QUEUE_UNAVAILABLE')
    return new HttpError(503, 'the job queue is unavailable', { code }, { 'Retry-After': '1' });
  if (code === 'QUEUE_JOB_FAILED')
    return new HttpError(500, 'the queue job failed (it stalled too often or was discarded)', { code });
  if (workload === 'fetch') {
    if (name === 'UpstreamStatusError' && status !== undefined) {
      return new HttpError(502, 'the upstream answered with an error', { upstreamStatus: status });
    }
    if (code && TIMEOUT_CODES.has(code)) return new HttpError(504, 'the upstream did not answer in time');
    return new HttpError(502, 'the upstream could not be reached', code ? { code } : {});
  }
  if (workload === 'db') {
    if (code === 'SYNC_IO_TIMEOUT') return new HttpError(504, 'the database did not answer in time');
    return new HttpError(503, 'the database is unavailable', code ? { code } : {}, { 'Retry-After': '1' });
  }
  return new HttpError(500, 'internal error');
}

/** A short, fixed label for why a workload request failed, for the failures counter. */
export function failureReason(error: HttpError): string {
  const { status, details } = error;
  if (status === 499) return 'client_closed';
  if (status === 504) return 'deadlineMs' in details ? 'deadline' : 'dependency_timeout';
  if (status === 503)
    return details['code'] === 'OVERLOADED'
      ? 'overloaded'
      : details['code'] === 'QUEUE_UNAVAILABLE'
        ? 'queue_unavailable'
        : 'db_unavailable';
  if (status === 502) return 'upstreamStatus' in details ? 'upstream_error' : 'upstream_unreachable';
  if (error.details['code'] === 'QUEUE_JOB_FAILED') return 'queue_job_failed';
  return error.details['code'] === 'WORKER_CRASHED' ? 'worker_crash' : 'internal';
}
