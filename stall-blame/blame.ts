import { attribute, newStall } from './attribute.ts';
import { createDelayHistory } from './delay-history.ts';
import { createHistory } from './history.ts';
import { buildReport, type BlameReport } from './report.ts';
import { startSampler } from './sampler.ts';
import { nowUs, startStallDetector } from './stall-detector.ts';
import { addStall, emptySummary, summarize } from './summary.ts';
import { SAMPLES_PER_STALL, STALL_BLAME_DEFAULTS, STALL_BLAME_LIMITS } from './limits.ts';

export interface StallBlameOptions {
  /** A stall is the loop running a due heartbeat more than this late (ms, default 20). */
  stallThresholdMs?: number;
  /**
   * V8's sampling interval (µs): a stall gets about its length / interval samples. Default: the threshold
   * ÷ {@link SAMPLES_PER_STALL}, never below 2000 (5000 at the default 20 ms threshold).
   */
  samplingIntervalUs?: number;
  /** The heartbeat's period (ms, default 10, or less than half the threshold when that is below 20). */
  heartbeatMs?: number;
  /** Profile segment length (ms, default 1000): each rotation stops and restarts the profiler. */
  segmentMs?: number;
}

export interface StallBlame {
  /** The report from the start until now (rotates the profile to include the latest samples). */
  snapshot(): BlameReport;
  /**
   * Now on the monotonic clock of the reports' `window.fromUs`/`toUs` (µs), taken on the event loop
   * after closing any stall that just ended: no stall spans a mark.
   */
  mark(): number;
  /** The report of the stalls that started in [fromUs, toUs), from the recent history (rotates too). */
  window(fromUs: number, toUs: number): BlameReport;
  /** Stops profiling and the heartbeat; the final report. */
  stop(): Promise<BlameReport>;
}

export { STALL_BLAME_DEFAULTS };

/** The options with defaults filled in; throws naming the option and its range when one is out of range. */
export function resolveOptions(options: StallBlameOptions): Required<StallBlameOptions> {
  const stallThresholdMs = options.stallThresholdMs ?? STALL_BLAME_DEFAULTS.stallThresholdMs;
  // A low threshold brings the default heartbeat down with it, so that it stays well below the threshold.
  const heartbeatMs =
    options.heartbeatMs ?? Math.max(1, Math.min(STALL_BLAME_DEFAULTS.heartbeatMs, Math.floor(stallThresholdMs / 2)));
  // The sampling interval follows the threshold too: a few samples per threshold-long stall is what
  // attribution needs, and each sample costs the thread (limits.ts: SAMPLES_PER_STALL).
  const samplingIntervalUs =
    options.samplingIntervalUs ??
    Math.min(
      STALL_BLAME_LIMITS.samplingIntervalUs[1],
      Math.max(STALL_BLAME_DEFAULTS.samplingIntervalUs, Math.round((stallThresholdMs * 1000) / SAMPLES_PER_STALL)),
    );
  const resolved = { ...STALL_BLAME_DEFAULTS, ...options, stallThresholdMs, heartbeatMs, samplingIntervalUs };
  for (const [name, [min, max, unit]] of Object.entries(STALL_BLAME_LIMITS) as [
    keyof StallBlameOptions,
    readonly [number, number, string],
  ][]) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(
        `stall-blame: options.${name} must be a whole number of ${unit} in ${min}..${max} (got ${value})`,
      );
    }
  }
  if (resolved.heartbeatMs >= resolved.stallThresholdMs) {
    throw new RangeError(
      `stall-blame: options.heartbeatMs (${resolved.heartbeatMs}) must be below options.stallThresholdMs (${resolved.stallThresholdMs})`,
    );
  }
  return resolved;
}

/**
 * Starts naming the code that stalls this thread's event loop: V8's sampling profiler runs all the time
 * (a few samples per threshold-long stall, not more: each costs the thread), in segments of
 * `segmentMs`, and a heartbeat marks the stall windows; at each rotation the samples that fall inside a
 * window are charged to the first frame in the user's code. Runs on the calling thread (the main thread,
 * normally) and costs it the rotations, which the report measures.
 */
export function startStallBlame(options: StallBlameOptions = {}): StallBlame {
  const settings = resolveOptions(options);
  const startUs = nowUs();
  const startWallMs = Date.now();
  const lifetime = emptySummary();
  const history = createHistory(startUs);
  const sampler = startSampler(settings.samplingIntervalUs);
  let segmentStart = performance.now();
  let stopped: BlameReport | null = null;

  const absorb = (profile: ReturnType<typeof sampler.rotate>, atUs: number) => {
    const stalls = detector.take().map(newStall);
    attribute(profile, stalls);
    for (const stall of stalls) {
      addStall(lifetime, stall);
      history.add(stall, atUs);
    }
  };
  const rotate = (atUs: number) => {
    const before = sampler.cost().totalMs;
    absorb(sampler.rotate(), atUs);
    history.addRotation(atUs, sampler.cost().totalMs - before);
    segmentStart = performance.now();
    // The rotation held the loop; it is reported as `profiler`, never as a stall beside it.
    detector.resume();
  };
  const delays = createDelayHistory();
  const detector = startStallDetector(
    settings.stallThresholdMs,
    settings.heartbeatMs,
    function stallBlameTick(now, lateUs) {
      delays.add(now, lateUs);
      if (performance.now() - segmentStart >= settings.segmentMs) rotate(now);
    },
  );

  const span = (fromUs: number, toUs: number) => ({
    startedAt: new Date(startWallMs + (fromUs - startUs) / 1000).toISOString(),
    endedAt: new Date(startWallMs + (toUs - startUs) / 1000).toISOString(),
    ms: (toUs - fromUs) / 1000,
    fromUs,
    toUs,
  });
  const whole = (): BlameReport => {
    const now = nowUs();
    return buildReport(lifetime, {
      window: span(startUs, now),
      options: settings,
      complete: true,
      profiler: sampler.cost(),
    });
  };

  return {
    snapshot() {
      if (stopped) return stopped;
      rotate(detector.check());
      return whole();
    },
    mark() {
      return stopped ? stopped.window.toUs : detector.check();
    },
    window(fromUs, toUs) {
      if (!stopped) rotate(detector.check());
      const selected = history.select(fromUs, toUs);
      return buildReport(summarize(selected.stalls), {
        window: span(fromUs, toUs),
        options: settings,
        complete: selected.complete,
        profiler: selected.rotations,
        loopDelay: delays.window(fromUs, toUs),
      });
    },
    async stop() {
      if (stopped) return stopped;
      const now = detector.check();
      detector.close();
      absorb(sampler.close(), now);
      stopped = whole();
      return stopped;
    },
  };
}
