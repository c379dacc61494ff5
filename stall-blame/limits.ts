/**
 * Stall blame's defaults and ranges, defined once and imported by everything that takes them: the library's
 * options (blame.ts), the preload's variables (env.ts) and looplab's server configuration
 * (lib/config-spec.ts: STALL_THRESHOLD_MS). No imports, so the configuration spec can read it cheaply.
 */

export const STALL_BLAME_DEFAULTS = Object.freeze({
  stallThresholdMs: 20,
  /** The floor of the default interval, which is the threshold ÷ {@link SAMPLES_PER_STALL} (5000 µs at 20 ms). */
  samplingIntervalUs: 2000,
  heartbeatMs: 10,
  segmentMs: 1000,
});

/**
 * How many samples a stall of exactly the threshold gets at the default sampling interval (threshold ÷
 * this, never below 2000 µs). Every sample is a signal to the thread and a stack walk, and a thread
 * woken on a 2-core machine, whether the loop stalls or not: that is most of what stall blame costs a
 * busy loop, so the profiler samples no faster than attribution needs. A stall window is at least the
 * threshold long, so four samples fall inside it and cover at least three quarters of it; the rest is
 * charged to the sample taken just before the window opened, which is the stalling code too unless the
 * stall began less than one interval before (see stall-detector.ts: a window opens at a due heartbeat, up
 * to a heartbeat after the stall began). Enough to name the function that holds the loop; a stall shared
 * by several functions is split into quarters of the threshold, and a longer stall gets proportionally
 * more samples (a 200 ms stall at 20 ms: 40). Set LOOPLAB_BLAME_INTERVAL_US for finer splits, at a cost.
 */
export const SAMPLES_PER_STALL = 4;

/** Each option's whole-number range and unit. */
export const STALL_BLAME_LIMITS: Readonly<
  Record<keyof typeof STALL_BLAME_DEFAULTS, readonly [number, number, string]>
> = Object.freeze({
  stallThresholdMs: [2, 60_000, 'ms'],
  samplingIntervalUs: [50, 100_000, 'µs'],
  heartbeatMs: [1, 1000, 'ms'],
  segmentMs: [100, 60_000, 'ms'],
});

/**
 * The stall gate's default `stallThresholdMs` (stall-blame/gate/): a test suite's loop may stall for
 * the length of a browser "long task" (50 ms, the W3C Long Tasks API's line, which RAIL also uses as the
 * budget for a response to start) before the gate calls it a stall. Below that, a suite's own
 * synchronous set-up (building fixtures, parsing a JSON file) would be flagged on a noisy CI runner;
 * above it, a blocking call that costs a server 50 ms of every request's latency would pass.
 */
export const GATE_STALL_THRESHOLD_MS = 50;
