/**
 * `--queue-backends postgres,redis`: queue mode's two BullMQ backends side by side, the queue scenarios
 * run once per backend, each on a server of its own. Parsed here, and refused here when it cannot run.
 */
import { hasRedisServer } from '../../lib/redis-server.ts';
import { OptionsError } from './options-error.ts';
import type { HarnessOptions, QueueBackendName } from '../types.ts';

export const QUEUE_BACKENDS: readonly QueueBackendName[] = ['postgres', 'redis'];

/**
 * The backends in the order given, each once.
 * @param modes `--modes` as given: a list without `queue` would leave nothing to run per backend.
 */
export function parseQueueBackends(
  raw: string | undefined,
  modes: readonly string[] | undefined,
  url: string | undefined,
): QueueBackendName[] {
  if (raw === undefined) return [];
  const items = raw.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!(QUEUE_BACKENDS as readonly string[]).includes(item))
      throw new OptionsError(
        `--queue-backends: "${item}" is not a queue backend (allowed: ${QUEUE_BACKENDS.join(', ')})`,
      );
  }
  if (url !== undefined)
    throw new OptionsError(
      '--queue-backends starts a server per backend, so it cannot be combined with --url (start that server with or without REDIS_URL instead)',
    );
  if (modes !== undefined && !modes.includes('queue'))
    throw new OptionsError(
      `--queue-backends runs the queue scenarios once per backend, but --modes ${modes.join(',')} has no queue`,
    );
  return [...new Set(items)] as QueueBackendName[];
}

/**
 * A Redis backend needs a Redis: REDIS_URL's, like DATABASE_URL for the database, or a redis-server the
 * harness starts, which must be installed. Checked before anything starts, so the refusal is one line.
 */
export function refuseMissingRedis(
  options: Pick<HarnessOptions, 'queueBackends'>,
  env: Readonly<Record<string, string | undefined>>,
): void {
  if (!options.queueBackends?.includes('redis') || env['REDIS_URL']) return;
  if (!hasRedisServer()) {
    throw new OptionsError(
      '--queue-backends redis starts a redis-server, and none is installed (Debian: apt-get install redis-server), or set REDIS_URL to a running Redis',
    );
  }
}
