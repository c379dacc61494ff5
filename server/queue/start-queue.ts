import type { Config, QueueConfig } from '../config.ts';
import type { StopSteps } from '../lifecycle/stop-steps.ts';
import { queueBackendOf } from '../../lib/queue-access.ts';
import { superviseLocalWorkers, type LocalWorkers } from './local-queue-workers.ts';

/** Queue mode's options for `createDeps`, or undefined with QUEUE=off. */
export function jobQueueOptions(config: Config, databaseUrl: string) {
  return config.queue.enabled ? serverQueueOptions(config.queue, databaseUrl) : undefined;
}

/** What the server's side of queue mode needs from the QUEUE_* settings (see deps.ts). */
function serverQueueOptions(queue: QueueConfig, databaseUrl: string) {
  return {
    backend: queueBackendOf(queue.redisUrl, databaseUrl),
    maxInFlight: queue.max,
    keep: queue.keep,
    workers: queue.workers,
    concurrency: queue.concurrency,
  };
}

/**
 * Starts the QUEUE_WORKERS local queue worker processes in the background (none with QUEUE=off or
 * QUEUE_WORKERS=0, when they run elsewhere): jobs wait in the queue until one takes them. Registers
 * their stop, which lets their running jobs finish; called after the pools' stop step, so they stop
 * after the HTTP server and before the pools.
 */
export function startQueueWorkers(
  config: Config,
  urls: { databaseUrl: string; upstreamUrl: string },
  steps: StopSteps,
): LocalWorkers | undefined {
  if (!config.queue.enabled || config.queue.workers === 0) return undefined;
  const workers = superviseLocalWorkers(config.queue.workers, {
    DATABASE_URL: urls.databaseUrl,
    UPSTREAM_URL: urls.upstreamUrl,
  });
  steps.push('queue workers', () => workers.stop());
  return workers;
}
