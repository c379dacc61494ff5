/**
 * Errors cross thread boundaries as plain data: structured clone keeps an Error's message but drops
 * the `code` and `status` fields that decide between 502, 503 and 504.
 */
export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  status?: number;
}

export function toErrorData(err: unknown): ErrorData {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    status?: unknown;
  };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
  };
}

/** An error that happened in another thread, rebuilt with the fields that matter for classification. */
export class RemoteError extends Error {
  readonly code: string | undefined;
  readonly status: number | undefined;
  constructor(data: ErrorData) {
    super(data.message);
    this.name = data.name;
    this.code = data.code;
    this.status = data.status;
  }
}
