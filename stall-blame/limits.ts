/**
 * Stall blame's defaults and ranges, defined once and imported by everything that takes them: the library's
 * options (blame.ts), the preload's variables (env.ts) and looplab's server configuration
 * (lib/config-spec.ts: STALL_THRESHOLD_MS). No imports, so the configuration spec can read it cheaply.
 */

export const STALL_BLAME_DEFAULTS = Object.freeze({
  stallThresholdMs: 20,
  samplingIntervalUs: 2000,
  heartbeatMs: 10,
  segmentMs: 1000,
});

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
