import { scrapeMetrics } from './server-metrics.ts';
import { httpGet } from '../stack/http-get.ts';

/** A `/health` answer faster than this means the event loop is not held by a backlog. */
const SETTLED_HEALTH_MS = 100;
/** The server's count of finished workload requests must stay still this long. */
export const QUIET_MS = 300;
const SETTLE_TIMEOUT_MS = 120_000;

/** What the server offers to judge a backlog by: looplab's `/metrics` and `/health`, or a `--target`'s `--probe`. */
export interface SettleSignals {
  healthPath: string | null;
  metrics: boolean;
}

export const LOOPLAB_SIGNALS: SettleSignals = { healthPath: '/health', metrics: true };

async function healthMs(origin: string, path: string, deadline: number): Promise<number> {
  const started = performance.now();
  try {
    const res = await httpGet(`${origin}${path}`, Math.max(1, deadline - Date.now()));
    await res.dump();
    return performance.now() - started;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Waits until the server has finished what earlier load left queued, so one run's backlog is neither
 * counted nor timed in the next window. A fast `/health` alone is not proof: a blocked loop can answer
 * it between two queued blocking requests. So the server's own count of finished workload requests
 * (`looplab_request_duration_seconds_count`) must also stand still for `QUIET_MS`. A request that is
 * still running but finishes nothing in that time (one long async query) is not waited for.
 * @returns how long it took, ms.
 */
export async function waitUntilSettled(origin: string, server: SettleSignals = LOOPLAB_SIGNALS): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  const count = async () => (server.metrics ? (await scrapeMetrics(origin))?.workloadRequestsDone : undefined);
  let previous = await count();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    // With neither signal (a --target without --probe) a quiet pause is all the harness can give.
    const fast =
      server.healthPath === null || (await healthMs(origin, server.healthPath, deadline)) < SETTLED_HEALTH_MS;
    const done = await count();
    // A server without the count (not looplab's) is judged by /health alone.
    if (fast && (done === undefined || done === previous)) return Math.round(performance.now() - started);
    previous = done;
  }
  throw new Error(`${origin} did not settle within ${SETTLE_TIMEOUT_MS / 1000} s after the previous load`);
}
