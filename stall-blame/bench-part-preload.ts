/**
 * One part of stall blame alone, for the cost decomposition (`bench-parts.ts`): LOOPLAB_BENCH_PART names it.
 * - `heartbeat`: the stall detector's timer (and its run-queue reads), no profiler;
 * - `heartbeat-late`, `profiler-late`: started 500 ms into the loop, once its code is compiled and warm:
 *   a part that costs as much late as from the start costs per unit of time, not through the code's warm-up;
 * - `native-timer`: Node's loop-delay monitor at the heartbeat's period, a libuv timer that never enters
 *   JavaScript: what a tick costs without the JavaScript timer's callback;
 * - `heartbeat-slow`: the same ticking ten times less often (100 ms), to see what is per tick;
 * - `profiler`: V8's sampling profiler at the blame's default interval, never rotated, no heartbeat;
 * - `profiler-slow`: the same at the slowest interval the options allow, to see what is per sample;
 * - `profiler-early`: the profiler on for the loop's first 500 ms only (its code is compiled under it), then off;
 * - `rotations`: the profiler rotated once a segment by a plain timer, no heartbeat;
 * - `blame`: all of it (startStallBlame), as the preload runs it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startStallBlame, resolveOptions } from './blame.ts';
import { readPreloadConfig } from './env.ts';
import { STALL_BLAME_LIMITS } from './limits.ts';
import { startSampler } from './sampler.ts';
import { startStallDetector } from './stall-detector.ts';

// The preload's own variables (LOOPLAB_BLAME_HEARTBEAT_MS, …) set the parts as they set stall blame.
const settings = resolveOptions(readPreloadConfig(process.env).options);
const part = process.env['LOOPLAB_BENCH_PART'];
if (part === 'heartbeat') startStallDetector(settings.stallThresholdMs, settings.heartbeatMs, () => {});
else if (part === 'heartbeat-late')
  setTimeout(() => startStallDetector(settings.stallThresholdMs, settings.heartbeatMs, () => {}), 1000).unref();
else if (part === 'profiler-late') setTimeout(() => startSampler(settings.samplingIntervalUs), 1000).unref();
else if (part === 'native-timer') monitorEventLoopDelay({ resolution: settings.heartbeatMs }).enable();
else if (part === 'heartbeat-slow') startStallDetector(1000, 100, () => {});
else if (part === 'profiler') startSampler(settings.samplingIntervalUs);
else if (part === 'profiler-slow') startSampler(STALL_BLAME_LIMITS.samplingIntervalUs[1]);
else if (part === 'profiler-early') {
  // On while bench-loop's code is compiled (its first 500 ms), then off: is code compiled under the profiler slower?
  const sampler = startSampler(settings.samplingIntervalUs);
  setTimeout(() => sampler.close(), 1000).unref();
} else if (part === 'rotations') {
  const sampler = startSampler(settings.samplingIntervalUs);
  setInterval(() => sampler.rotate(), settings.segmentMs).unref();
} else if (part === 'blame') startStallBlame(settings);
else if (part !== undefined && part !== 'off') throw new RangeError(`LOOPLAB_BENCH_PART: unknown part "${part}"`);
