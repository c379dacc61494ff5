import { createPostgresBackend, createRedisBackend, type BackendFactory, type IQueueBackend } from 'bullmq';
import type { QueueBackend } from '../contract/queue.ts';

// How any process reaches the shared BullMQ queue: the server, a queue worker, the harness's fault drill.

/**
 * A function generic over BullMQ's backend and connection types: BullMQ's classes are typed by the
 * backend factory they get, so code that builds them is written once, generically, and called with
 * whichever backend the settings name.
 */
export type BackendUser<T> = <B extends IQueueBackend, C>(factory: BackendFactory<B, C>, connection: C) => T;

/**
 * Calls `use` with the factory and connection options for `backend`. Each BullMQ object made from
 * them opens its own connections (a pool plus a LISTEN connection on PostgreSQL, one or two sockets
 * on Redis) and closes them in its `close()`.
 */
export function withQueueBackend<T>(backend: QueueBackend, use: BackendUser<T>): T {
  if (backend.kind === 'redis') return use(createRedisBackend, { url: backend.url });
  // migrate: BullMQ creates or upgrades its `bullmq` schema on first connect, under an advisory
  // lock, so the server and its workers may all start at once. A small pool: each object's queries
  // are short and few at a time.
  return use(createPostgresBackend, { connectionString: backend.url, migrate: true, max: 4 });
}

export function describeBackend(backend: QueueBackend): string {
  return backend.kind === 'redis' ? 'Redis (REDIS_URL)' : 'PostgreSQL (the looplab database, schema bullmq)';
}

/** REDIS_URL when set, else the database the server itself uses. */
export function queueBackendOf(redisUrl: string | undefined, databaseUrl: string): QueueBackend {
  return redisUrl ? { kind: 'redis', url: redisUrl } : { kind: 'postgres', url: databaseUrl };
}

/**
 * How a queue worker process names itself to BullMQ, which stamps it on each job it takes
 * (`job.processedBy`): host and pid, so whoever reads the queue can tell which process holds a job
 * (the fault run's worker-kill drill kills one that does).
 */
export function workerName(host: string, pid: number): string {
  return `${host}:${pid}`;
}
