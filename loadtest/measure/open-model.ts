import { Pool } from 'undici';
import { createLatencyRecorder, type EncodedLatencies } from './latency-histogram.ts';
import { createOutcomeLog, isOk, type Outcome, type OutcomeLog, waitUntil } from './outcome-log.ts';
import type { Latency } from '../types.ts';

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
   * is abandoned (counted, with no latency: it would have been among the slowest).
   */
  drainMs?: number;
  signal?: AbortSignal;
  /** A performance.now() time the schedule starts at (default now): one moment shared by several generators. */
  startAt?: number;
  /**
   * This generator's share of the schedule when several send it together: of the requests due at
   * start + i / rate, it sends those with i % of === index, so N generators each send rate / N and the
   * merged arrivals stay evenly spaced. `maxInFlight` is then this generator's own limit.
   */
  share?: { index: number; of: number };
  /** Called for every finished request: when it was due (a performance.now() time) and how it ended. */
  onResult?: (dueAtMs: number, outcome: Outcome, latencyMs: number) => void;
}

export interface OpenModelResult {
  /** Requests due in the window: sent + dropped. */
  due: number;
  sent: number;
  dropped: number;
  abandoned: number;
  /** The schedule's length, due ÷ rate: the window every per-second figure is divided by. */
  windowSeconds: number;
  log: OutcomeLog;
  /** How late each request was sent against its intended time: the generator's own lag. */
  sendLag: Latency;
  /** The same, as a histogram another process can add to its own. */
  sendLagHistogram: EncodedLatencies;
  /** Answers with a status, 2xx or not. */
  completed: number;
  non2xx: number;
  /** Requests with no status: connection errors, timeouts and abandoned ones. */
  errors: number;
  /** Every request whose latency is known, success or failure together (as a caller sees them all). */
  latency: Latency;
}

/**
 * Constant-arrival-rate load (an open model). Request i is due at start + i / rate whatever happened
 * to earlier ones, and its latency is measured from that intended time, not from when it was sent:
 * a server that stalls for a second shows that second in the percentiles (no coordinated omission).
 * autocannon's rate limit does not do this (it sends per-second bursts and corrects at 1 ms).
 */
export async function runOpenModel(options: OpenModelOptions): Promise<OpenModelResult> {
  const pool = new Pool(options.origin, { connections: options.maxInFlight, pipelining: 1, keepAliveTimeout: 10_000 });
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const intervalMs = 1000 / options.rate;
  const { index: first, of: stride } = options.share ?? { index: 0, of: 1 };
  const sendLag = createLatencyRecorder();
  const all = createLatencyRecorder();
  const pending = new Set<Promise<void>>();
  const start = options.startAt ?? performance.now();
  await waitUntil(start);
  const log = createOutcomeLog(start);
  let sent = 0;
  let dropped = 0;
  let abandoning = false;

  const finish = (intendedAt: number, outcome: Outcome) => {
    const now = performance.now();
    log.record(outcome, now - intendedAt, now);
    all.record(now - intendedAt);
    options.onResult?.(intendedAt, outcome, now - intendedAt);
  };
  const send = (intendedAt: number) => {
    sent++;
    sendLag.record(performance.now() - intendedAt);
    const done = pool
      .request({ method: 'GET', path: options.path, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs })
      .then(async (res) => {
        // A refusal's body says what refused it: one per status is kept; every other body is dropped unread.
        if (!isOk(res.statusCode) && log.samples[res.statusCode] === undefined)
          log.sampleBody(res.statusCode, await res.body.text());
        else await res.body.dump();
        finish(intendedAt, res.statusCode);
      })
      .catch((err: { code?: string }) => {
        // Abandoned at the end of the drain: counted once, below, with no latency.
        if (abandoning && err.code === 'UND_ERR_DESTROYED') return;
        finish(
          intendedAt,
          err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'error',
        );
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  let next = first;
  let due = 0;
  while (next < total && !options.signal?.aborted) {
    const now = performance.now();
    // Everything that is due goes out now; the loop may have been late, but the clock it measures
    // against is the intended schedule (and the lateness is recorded as send lag).
    while (next < total && start + next * intervalMs <= now) {
      const intendedAt = start + next * intervalMs;
      if (pending.size >= options.maxInFlight) dropped++;
      else send(intendedAt);
      next += stride;
      due++;
    }
    const wait = start + next * intervalMs - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, 50))));
  }
  const drained = await Promise.race([
    Promise.allSettled([...pending]).then(() => true),
    new Promise<false>((resolve) => setTimeout(resolve, options.drainMs ?? 10_000, false)),
  ]);
  let abandoned = 0;
  if (drained) {
    await pool.close();
  } else {
    // Abandon the backlog: destroying the pool fails what is left.
    abandoned = pending.size;
    abandoning = true;
    await pool.destroy();
    await Promise.allSettled([...pending]);
  }
  const { ok, non2xx, errors, timeouts } = log.counts;
  return {
    due,
    sent,
    dropped,
    abandoned,
    windowSeconds: due / (options.rate / stride),
    log,
    sendLag: sendLag.summary(),
    sendLagHistogram: sendLag.encode(),
    completed: ok + non2xx,
    non2xx,
    errors: errors + timeouts + abandoned,
    latency: all.summary(),
  };
}
