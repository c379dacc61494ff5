import { onClientsChange } from './client-activity.ts';
import { build, type Histogram } from 'hdr-histogram-js';

/**
 * How often the sampler asks to run. 1 ms is the finest a Node timer can be asked for, and fine enough
 * to see 1 ms stalls; it costs about 6% of one core (measured on a 2-core AMD EPYC, idle process), paid
 * equally in every mode. libuv rounds timers to whole milliseconds, so lateness under ~1 ms is noise.
 */
export const LOOP_SAMPLE_INTERVAL_MS = 1;
/**
 * How often it runs instead while no client is connected (client-activity.ts): the 1 ms
 * sampler was most of an idle server's CPU (5–6% of a core of its ~6%). Each idle tick also records
 * the quiet 1 ms ticks it stands for, so the windows stay time-weighted; a stall that delays an idle
 * tick is recorded as at 1 ms, but one that falls between two idle ticks goes unseen.
 */
export const IDLE_SAMPLE_INTERVAL_MS = 50;

/** Event-loop delay over one window, in milliseconds beyond the sampling interval. */
export interface LoopDelayWindow {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Samples in the window, including the ones filled in for stalls (see below). */
  samples: number;
}

export interface LoopDelayMonitor {
  /** The window since the previous call (or since the start), then starts a new one. */
  takeWindow(): LoopDelayWindow;
  close(): void;
}

/** One reader's view of the shared sampler: its own window, so readers cannot reset each other. */
interface Subscriber {
  histogram: Histogram;
}

const subscribers = new Set<Subscriber>();
let timer: NodeJS.Timeout | undefined;
let last = 0;
/** The interval the sampler runs at now: 1 ms, or the idle interval while a gated server has no client. */
let interval = LOOP_SAMPLE_INTERVAL_MS;

/**
 * Measures how late the event loop runs a timer: one repeating 1 ms timer per thread (the loop is per
 * thread, so one sampler serves every reader) notes how much later than asked each tick came. Unlike
 * `monitorEventLoopDelay`, which records the whole interval (so an idle loop reads the resolution,
 * 10 ms at `resolution: 10`), only the lateness *beyond* the interval is recorded. A stall of D ms
 * yields one late tick, so a plain histogram would give a 5%-blocked loop a low p99; each late tick is
 * therefore recorded with HdrHistogram's expected-interval correction (D, D − 1, D − 2 … ms: the ticks
 * the stall swallowed), which makes the percentiles time-weighted — "a callback due at a random moment
 * waited this long or less".
 */
function sampleLoopDelay(): void {
  const now = performance.now();
  const fineUs = LOOP_SAMPLE_INTERVAL_MS * 1000;
  const elapsedUs = Math.round((now - last) * 1000);
  const lateUs = Math.max(0, elapsedUs - interval * 1000);
  last = now;
  // At the idle interval: the on-time 1 ms ticks this one stands for (none at 1 ms).
  const quiet = Math.max(0, Math.floor((elapsedUs - lateUs) / fineUs) - 1);
  for (const s of subscribers) {
    if (quiet > 0) s.histogram.recordValueWithCount(0, quiet);
    s.histogram.recordValueWithExpectedInterval(lateUs, fineUs);
  }
}

function startTimer(): void {
  last = performance.now();
  timer = setInterval(sampleLoopDelay, interval);
  // The sampler must never keep a process alive on its own.
  timer.unref();
}

/** Moves the running sampler to `ms`, first recording the part of the current interval gone by. */
function setSampleInterval(ms: number): void {
  if (ms === interval) return;
  if (timer) {
    sampleLoopDelay();
    clearInterval(timer);
  }
  interval = ms;
  if (timer) startTimer();
}

/** The sampler's interval now, ms (1, or the idle interval). */
export const sampleIntervalMs = (): number => interval;

// At 1 ms while a client is connected (client-activity.ts), at the idle interval while nobody is.
onClientsChange((connected) => setSampleInterval(connected ? LOOP_SAMPLE_INTERVAL_MS : IDLE_SAMPLE_INTERVAL_MS));

/** Starts reading the event-loop delay of this thread; `close()` stops the sampler when no reader is left. */
export function createLoopDelayMonitor(): LoopDelayMonitor {
  const subscriber: Subscriber = {
    histogram: build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
    }),
  };
  subscribers.add(subscriber);
  if (!timer) startTimer();
  const { histogram } = subscriber;
  const ms = (us: number) => us / 1000;
  return {
    takeWindow() {
      const n = histogram.totalCount;
      const window =
        n === 0
          ? { p50Ms: 0, p99Ms: 0, maxMs: 0, samples: 0 }
          : {
              // HdrHistogram reports the top of a value's bucket; never above the recorded maximum.
              p50Ms: ms(Math.min(histogram.getValueAtPercentile(50), histogram.maxValue)),
              p99Ms: ms(Math.min(histogram.getValueAtPercentile(99), histogram.maxValue)),
              maxMs: ms(histogram.maxValue),
              samples: n,
            };
      histogram.reset();
      return window;
    },
    close() {
      if (!subscribers.delete(subscriber)) return;
      if (subscribers.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    },
  };
}
