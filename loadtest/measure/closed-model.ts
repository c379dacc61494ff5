import autocannon from 'autocannon';
import { createOutcomeLog, isOk, type OutcomeLog, waitUntil } from './outcome-log.ts';

export interface ClosedModelOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  timeoutSeconds: number;
  /**
   * A performance.now() time to start at, and the log's start: generators in several processes are
   * given one moment, so their logs can be merged (see generators.ts). Default: now.
   */
  startAt?: number;
  /** Called as each request ends: 2xx (`true`) or not; for live progress only. */
  onOutcome?: (ok: boolean) => void;
}

export interface ClosedModelResult {
  /** Requests autocannon sent, answered or not. */
  sent: number;
  /** autocannon's own run time: the window per-second figures are divided by. */
  windowSeconds: number;
  log: OutcomeLog;
}

/**
 * A fixed number of connections, each sending its next request as soon as the previous one answers
 * (a closed model), driven by autocannon's programmatic API. Every answer is taken from autocannon's
 * `response` event (status and latency from when the request was written) into our own histograms,
 * so success and failure are kept apart the same way as in the open model; its `reqError` event gives
 * connection errors and timeouts, whose latency it does not report.
 */
export async function runClosedModel(options: ClosedModelOptions): Promise<ClosedModelResult> {
  const start = options.startAt ?? performance.now();
  await waitUntil(start);
  const log = createOutcomeLog(start);
  const { onOutcome } = options;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: options.timeoutSeconds,
        // The url's own request, with a hook that keeps one body per refusal status (what refused it).
        requests: [{ onResponse: (status: number, body: string) => log.sampleBody(status, body) }],
      },
      (err: unknown, done: autocannon.Result) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(done),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      log.record(statusCode, responseTime, performance.now());
      onOutcome?.(isOk(statusCode));
    });
    // autocannon reports a timeout as an error with this message (lib/run.js, onTimeout).
    instance.on('reqError', (err: unknown) => {
      const timedOut = err instanceof Error && err.message === 'request timed out';
      log.record(timedOut ? 'timeout' : 'error', null, performance.now());
      onOutcome?.(false);
    });
  });
  return { sent: result.requests.sent, windowSeconds: result.duration, log };
}
