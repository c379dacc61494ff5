import type { ErrorCode } from '../../lib/error-codes.ts';

/**
 * A bounded queue is full: the request is refused at once (503 with Retry-After) instead of waiting
 * behind an unbounded backlog.
 */
export class OverloadError extends Error {
  override name = 'OverloadError';
  readonly code = 'OVERLOADED' satisfies ErrorCode;
  readonly resource: 'worker pool' | 'database pool' | 'BullMQ';
  constructor(resource: 'worker pool' | 'database pool' | 'BullMQ') {
    super(`the ${resource} queue is full`);
    this.resource = resource;
  }
}
