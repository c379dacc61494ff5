import type { ErrorCode } from '../../lib/error-codes.ts';

/** A job that BullMQ itself failed: it stalled more often than allowed, or a worker discarded it. */
export class QueueJobFailedError extends Error {
  override name = 'QueueJobFailedError';
  readonly code = 'QUEUE_JOB_FAILED' satisfies ErrorCode;
}

/** The job could not be added: the queue's backend (PostgreSQL or Redis) refused or is unreachable. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
  readonly code = 'QUEUE_UNAVAILABLE' satisfies ErrorCode;
  constructor(cause: unknown) {
    super('the job queue is unavailable', { cause });
  }
}
