import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How often the event-loop delay is read; pressure lasts at least one window after a stall. */
const WINDOW_MS = 500;

/**
 * Optional load shedding on event-loop delay (like @fastify/under-pressure): when the loop stalled
 * for longer than the threshold in the last window, workload requests are refused with 503 until a
 * window passes without such a stall. It cannot stop a blocking request that is already running —
 * nothing can — but it stops the next ones from piling up behind it.
 */
export interface PressureGauge {
  readonly underPressure: boolean;
  /** Longest event-loop delay in the last window, ms. */
  readonly lastDelayMs: number;
  close(): void;
}

export function createPressureGauge(thresholdMs: number): PressureGauge {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let lastDelayMs = 0;
  const timer = setInterval(() => {
    lastDelayMs = histogram.max / 1e6;
    histogram.reset();
  }, WINDOW_MS);
  timer.unref();
  return {
    get underPressure() {
      return lastDelayMs > thresholdMs;
    },
    get lastDelayMs() {
      return lastDelayMs;
    },
    close() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
