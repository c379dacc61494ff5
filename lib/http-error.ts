import type { ErrorCode } from './error-codes.ts';

/** Extra fields that go into an error's JSON body next to `error`. */
export type ErrorDetails = Readonly<Record<string, string | number | readonly string[]>>;

/**
 * The one error type handlers throw to answer with a status other than 200. Its message and details
 * are shown to the caller, so they must never carry internals (SQL, stack, connection strings).
 */
export class HttpError extends Error {
  override name = 'HttpError';
  /** 499 (nginx's "client closed request") marks work abandoned because the caller went away. */
  readonly status: 400 | 404 | 405 | 408 | 413 | 499 | 500 | 502 | 503 | 504;
  readonly details: ErrorDetails;
  /** Response headers that go with the error, e.g. Retry-After on a 503. */
  readonly headers: Readonly<Record<string, string>>;
  /** The failure's code in lib/error-codes.ts (its status and metric reason), when it is one of them. */
  readonly code: ErrorCode | undefined;

  constructor(
    status: HttpError['status'],
    message: string,
    details: ErrorDetails = {},
    headers: Readonly<Record<string, string>> = {},
    code?: ErrorCode,
  ) {
    super(message);
    this.status = status;
    this.details = details;
    this.headers = headers;
    this.code = code;
  }

  /** The JSON body sent to the client. */
  toBody(): Record<string, unknown> {
    return { error: this.message, ...this.details };
  }
}
