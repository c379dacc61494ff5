import type { Context } from 'hono';
import type { Logger } from '../observation/logger.ts';
import type { Metrics } from '../observation/metrics.ts';
import type { AppEnv, WorkLabel } from './app-env.ts';
import { requestIdOf } from './request-id.ts';

/**
 * Records a finished workload request: its duration by workload, mode and status in the metrics and,
 * at `debug`, one log line. Called by the handler on success and by the app's error handler on
 * failure (after its own error line), so each request is recorded once, whatever its outcome.
 */
export function recordRequest(c: Context<AppEnv>, status: number, metrics: Metrics, logger: Logger): void {
  const work = c.get('work');
  const routedAt = c.get('routedAt');
  if (!work || routedAt === undefined) return;
  recordWork(c, work, routedAt, status, metrics, logger);
}

/**
 * {@link recordRequest} for a handler that knows what ran and since when: a successful answer records
 * itself without putting either on the context (Hono keeps context variables in a Map it creates on
 * the first `c.set`, one more object per request).
 */
export function recordWork(
  c: Context<AppEnv>,
  work: WorkLabel,
  routedAt: number,
  status: number,
  metrics: Metrics,
  logger: Logger,
): void {
  const seconds = (performance.now() - routedAt) / 1000;
  metrics.observeRequest(work, status, seconds);
  // Guarded: the log line's object would otherwise be built for every request and then dropped.
  if (logger.isLevelEnabled('debug'))
    logger.debug(
      { reqId: requestIdOf(c), ...work, path: c.req.path, status, durationMs: Math.round(seconds * 1e5) / 100 },
      'request',
    );
}
