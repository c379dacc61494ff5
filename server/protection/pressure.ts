import { createLoopDelayMonitor } from '../observation/loop-delay.ts';

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
  // Delay beyond the sampling interval: an idle loop reads ~0 ms, so a 10 ms threshold sheds only
  // after a real 10 ms stall (monitorEventLoopDelay's samples include its own interval).
  const monitor = createLoopDelayMonitor();
  let lastDelayMs = 0;
  const timer = setInterval(() => {
    lastDelayMs = monitor.takeWindow().maxMs;
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
      monitor.close();
    },
  };
}
