import { onClientsChange } from './client-activity.ts';

/** How often resident memory is read between scrapes: a peak shorter than this may be missed. */
export const RSS_SAMPLE_INTERVAL_MS = 100;
/** How often while no client is connected (client-activity.ts): no window a reader reads is idle. */
const IDLE_RSS_SAMPLE_INTERVAL_MS = 1000;

export interface MemoryPeak {
  /** The highest resident memory seen since the previous call (or the start), bytes; then starts anew. */
  takePeak(): number;
}

/**
 * The process's resident memory at its highest over each window between scrapes, so a reader that
 * scrapes at the start and end of a run gets the run's peak, not two moments of it. Sampled every
 * 100 ms (`process.memoryUsage.rss()` reads one number from the OS) on a timer that keeps no process alive.
 */
export function createMemoryPeak(): MemoryPeak {
  let peak = process.memoryUsage.rss();
  let timer: NodeJS.Timeout | undefined;
  onClientsChange((connected) => {
    clearInterval(timer);
    timer = setInterval(
      () => {
        peak = Math.max(peak, process.memoryUsage.rss());
      },
      connected ? RSS_SAMPLE_INTERVAL_MS : IDLE_RSS_SAMPLE_INTERVAL_MS,
    );
    timer.unref();
  });
  return {
    takePeak() {
      const now = process.memoryUsage.rss();
      const seen = Math.max(peak, now);
      peak = now;
      return seen;
    },
  };
}
