import { ERROR_CODES, httpErrorFor, type ErrorCode } from '../../lib/error-codes.ts';
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

/** The registry code of a dependency's failure: its own stable code, else the workload and the cause decide. */
function codeOf(workload: string, err: unknown): ErrorCode {
  const { name, code, status } = fieldsOf(err);
  if (code === 'OVERLOADED' || code === 'WORKER_CRASHED' || code === 'QUEUE_UNAVAILABLE' || code === 'QUEUE_JOB_FAILED')
    return code;
  if (workload === 'fetch') {
    if (name === 'UpstreamStatusError' && status !== undefined) return 'UPSTREAM_STATUS';
    return code && TIMEOUT_CODES.has(code) ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNREACHABLE';
  }
  if (workload === 'db') return code === 'SYNC_IO_TIMEOUT' ? 'DB_TIMEOUT' : 'DB_UNAVAILABLE';
  return 'INTERNAL';
}

/**
 * Maps a failure of a workload's dependency to the status a caller can act on (lib/error-codes.ts). The
 * body names the failing dependency but never its address, the SQL or a stack: those go to the log.
 */
export function toHttpError(workload: string, err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const code = codeOf(workload, err);
  const cause = fieldsOf(err);
  switch (code) {
    case 'UPSTREAM_STATUS':
      return httpErrorFor(code, { upstreamStatus: cause.status as number });
    case 'UPSTREAM_UNREACHABLE':
    case 'DB_UNAVAILABLE':
      // The cause's own code (ECONNREFUSED, DB_UNAVAILABLE, …) says which way it failed.
      return httpErrorFor(code, cause.code ? { code: cause.code } : {});
    default:
      return httpErrorFor(code, {}, err instanceof Error ? err : undefined);
  }
}

/** The fixed label of `looplab_request_failures_total` for why a workload request failed. */
export function failureReason(error: HttpError): string {
  return ERROR_CODES[error.code ?? 'INTERNAL'].reason;
}
