import type { StallBlameOptions } from './blame.ts';
import { STALL_BLAME_LIMITS } from './limits.ts';

/** The preload's settings, read once from the environment. */
export interface PreloadConfig {
  /** LOOPLAB_BLAME_OUT: the report is written here (JSON) when the process exits or gets SIGTERM/SIGINT. */
  out: string | null;
  /** LOOPLAB_BLAME_PORT: serve the report as JSON on 127.0.0.1:port (0 picks a free one); null = no endpoint. */
  port: number | null;
  options: StallBlameOptions;
}

/** The variables the preload reads; it removes them from `process.env` so child processes do not profile into the same file. */
export const PRELOAD_VARIABLES = [
  'LOOPLAB_BLAME_OUT',
  'LOOPLAB_BLAME_PORT',
  'STALL_THRESHOLD_MS',
  'LOOPLAB_BLAME_INTERVAL_US',
  'LOOPLAB_BLAME_HEARTBEAT_MS',
] as const;

/** A whole number in `min..max` (the library's range from limits.ts, or a port's). */
function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  [min, max]: readonly [number, number, ...unknown[]],
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max))
    throw new RangeError(`stall-blame: ${name} must be a whole number ${min}..${max} (got "${raw}")`);
  return value;
}

/** Parses the preload's variables; throws naming the variable and the allowed range when one is bad. */
export function readPreloadConfig(env: NodeJS.ProcessEnv): Readonly<PreloadConfig> {
  // Renamed so that the server, the preload and the harness call the threshold by one name.
  if (env['LOOPLAB_BLAME_THRESHOLD_MS'] !== undefined)
    throw new RangeError('stall-blame: LOOPLAB_BLAME_THRESHOLD_MS is now called STALL_THRESHOLD_MS; set that instead');
  const options: StallBlameOptions = {};
  const stallThresholdMs = wholeNumber(env, 'STALL_THRESHOLD_MS', STALL_BLAME_LIMITS.stallThresholdMs);
  const samplingIntervalUs = wholeNumber(env, 'LOOPLAB_BLAME_INTERVAL_US', STALL_BLAME_LIMITS.samplingIntervalUs);
  const heartbeatMs = wholeNumber(env, 'LOOPLAB_BLAME_HEARTBEAT_MS', STALL_BLAME_LIMITS.heartbeatMs);
  if (stallThresholdMs !== undefined) options.stallThresholdMs = stallThresholdMs;
  if (heartbeatMs !== undefined) options.heartbeatMs = heartbeatMs;
  if (samplingIntervalUs !== undefined) options.samplingIntervalUs = samplingIntervalUs;
  return Object.freeze({
    out: env.LOOPLAB_BLAME_OUT || null,
    port: wholeNumber(env, 'LOOPLAB_BLAME_PORT', [0, 65_535]) ?? null,
    options,
  });
}
