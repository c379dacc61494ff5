import { Hono } from 'hono';
import { WORKERS_CANNOT_LOAD } from '../../contract/ready.ts';
import type { AppDeps } from '../deps.ts';
import type { AppEnv } from './app-env.ts';

/** How long each readiness check may take before its dependency counts as not usable. */
const READY_CHECK_TIMEOUT_MS = 2_000;

async function check(probe: (signal: AbortSignal) => Promise<unknown>): Promise<string> {
  const signal = AbortSignal.timeout(READY_CHECK_TIMEOUT_MS);
  const timedOut = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  try {
    await Promise.race([probe(signal), timedOut]);
    return 'ok';
  } catch (err) {
    const e = err as { name?: unknown; code?: unknown };
    if (e.name === 'TimeoutError') return `no answer within ${READY_CHECK_TIMEOUT_MS} ms`;
    // Permanent, unlike the others: say so, so that nobody waits for it (the log has the file and the why).
    if (e.name === 'WorkloadFileError') return WORKERS_CANNOT_LOAD;
    // Only a code, never the message: messages can carry addresses and credentials.
    return typeof e.code === 'string' ? `unavailable (${e.code})` : 'unavailable';
  }
}

/** `/health`, `/ready` and `/metrics`: what orchestrators and the load harness poll. */
export function opsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/health', function health(c) {
      // No I/O and no await: the answer time is pure event-loop latency, the canary the harness probes.
      return c.json({ status: 'ok' });
    })
    .get('/ready', async function ready(c) {
      const queue = deps.queue;
      const [database, upstream, workers, jobQueue] = await Promise.all([
        check(() => deps.clients.db.ping()),
        check((signal) => deps.clients.upstream.get('/health', signal)),
        check(() => deps.pool.ping()),
        queue ? check(() => queue.ping()) : undefined,
      ]);
      const checks = { database, upstream, workers, ...(jobQueue ? { queue: jobQueue } : {}) };
      const allOk = Object.values(checks).every((v) => v === 'ok');
      return c.json({ status: allOk ? 'ready' : 'unavailable', checks }, allOk ? 200 : 503);
    })
    .get('/metrics', async function metrics(c) {
      return c.body(await deps.metrics.render(), 200, { 'Content-Type': deps.metrics.registry.contentType });
    });
}
