import type { Config } from '../config.ts';
import type { StopSteps } from '../stop-steps.ts';
import { serverQueueOptions } from './backend.ts';
import { startLocalWorkers } from './local-workers.ts';

/** Queue mode's options for `createDeps`, or undefined with QUEUE=off. */
export function jobQueueOptions(config: Config, databaseUrl: string) {
  return config.queue.enabled ? serverQueueOptions(config.queue, databaseUrl) : undefined;
}

/**
 * Starts the QUEUE_WORKERS local queue worker processes (none with QUEUE=off or QUEUE_WORKERS=0, when
 * they run elsewhere) and registers their stop, which lets their running jobs finish. Called after
 * the pools' stop step, so they stop after the HTTP server and before the pools.
 */
export async function startQueueWorkers(config: Config, urls: { databaseUrl: string; upstreamUrl: string }, steps: StopSteps): Promise<void> {
  if (!config.queue.enabled || config.queue.workers === 0) return;
  const workers = await startLocalWorkers(config.queue.workers, { DATABASE_URL: urls.databaseUrl, UPSTREAM_URL: urls.upstreamUrl });
  steps.push('queue workers', () => workers.stop());
}
