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
