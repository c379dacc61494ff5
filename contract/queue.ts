/** What the server and the load harness agree on about queue mode: where jobs live, the queue's name, a job. */

/** Where BullMQ keeps its jobs: PostgreSQL (the default, the looplab database itself) or Redis (REDIS_URL). */
export type QueueBackend = { kind: 'postgres'; url: string } | { kind: 'redis'; url: string };

/** The one BullMQ queue every server and queue worker process shares. */
export const QUEUE_NAME = 'looplab';

/** What the server puts on the queue: a workload by name, its validated params, and when to give up. */
export interface JobData {
  workload: string;
  params: Record<string, number | string>;
  /**
   * The request's deadline, epoch ms on the server's clock (workers on other machines need a
   * synchronised clock). A job picked up after it is discarded; a running job is cancelled at it.
   */
  deadline: number;
}
