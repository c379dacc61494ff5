import { Pool } from 'undici';
import { createLatencyRecorder } from './latency-histogram.ts';
import type { Latency } from './types.ts';

export interface OpenModelOptions {
  /** Origin, e.g. http://127.0.0.1:3000 */
  origin: string;
  path: string;
  /** Requests per second, sent at evenly spaced intended times. */
  rate: number;
  durationSeconds: number;
  /** Most requests in flight at once; a request due when this many are pending is dropped. */
  maxInFlight: number;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /**
   * How long to wait for answers after the last request is due. A server far behind the offered rate
   * would otherwise keep the run going until its whole backlog drained; what is still unanswered then
   * counts as a timeout, with the time it had waited recorded as its latency (a lower bound).
   */
  drainMs?: number;
  signal?: AbortSignal;
  /** Called for every finished request: when it was due (a performance.now() time) and how it ended. */
  onResult?: (dueAtMs: number, outcome: number | 'error', latencyMs: number) => void;
}

export interface OpenModelResult {
  sent: number;
  completed: number;
  dropped: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: Latency;
  elapsedSeconds: number;
}

/**
 * Constant-arrival-rate load (an open model). Request i is due at start + i / rate whatever happened
 * to earlier ones, and its latency is measured from that intended time, not from when it was sent:
 * a server that stalls for a second shows that second in the percentiles (no coordinated omission).
 * autocannon's rate limit does not do this (it sends per-second bursts and corrects at 1 ms).
 */
export async function runOpenModel(options: OpenModelOptions): Promise<OpenModelResult> {
  const pool = new Pool(options.origin, { connections: options.maxInFlight, pipelining: 1, keepAliveTimeout: 10_000 });
  const recorder = createLatencyRecorder();
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const intervalMs = 1000 / options.rate;
  const counts = { sent: 0, completed: 0, dropped: 0, errors: 0, timeouts: 0, non2xx: 0 };
  const pending = new Set<Promise<void>>();
  const start = performance.now();

  const send = (intendedAt: number) => {
    counts.sent++;
    const done = pool
      .request({ method: 'GET', path: options.path, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs })
      .then(async (res) => {
        await res.body.dump();
        recorder.record(performance.now() - intendedAt);
        options.onResult?.(intendedAt, res.statusCode, performance.now() - intendedAt);
        counts.completed++;
        if (res.statusCode < 200 || res.statusCode >= 300) counts.non2xx++;
      })
      .catch((err: { code?: string }) => {
        // A failed or abandoned request still took this long from the caller's point of view.
        recorder.record(performance.now() - intendedAt);
        options.onResult?.(intendedAt, 'error', performance.now() - intendedAt);
        // Like autocannon, errors include timeouts; abandoned requests are counted once, below.
        if (err.code === 'UND_ERR_DESTROYED') return;
        counts.errors++;
        if (err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') counts.timeouts++;
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  let next = 0;
  while (next < total && !options.signal?.aborted) {
    const now = performance.now();
    // Everything that is due goes out now; the loop may have been late, but the clock it measures
    // against is the intended schedule.
    while (next < total && start + next * intervalMs <= now) {
      const intendedAt = start + next * intervalMs;
      if (pending.size >= options.maxInFlight) counts.dropped++;
      else send(intendedAt);
      next++;
    }
    const wait = start + next * intervalMs - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, 50))));
  }
  const drained = await Promise.race([
    Promise.allSettled([...pending]).then(() => true),
    new Promise<false>((resolve) => setTimeout(resolve, options.drainMs ?? 10_000, false)),
  ]);
  const elapsedSeconds = (performance.now() - start) / 1000;
  if (drained) {
    await pool.close();
  } else {
    // Abandon the backlog: destroying the pool fails what is left (recorded by the catch above).
    const abandoned = pending.size;
    await pool.destroy();
    await Promise.allSettled([...pending]);
    counts.timeouts += abandoned;
    counts.errors += abandoned;
  }
  return { ...counts, latency: recorder.summary(), elapsedSeconds };
}
