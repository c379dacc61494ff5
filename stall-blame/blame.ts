import { attribute, type Tallies } from './attribute.ts';
import { blameLines, type BlameReport } from './report.ts';
import { startSampler } from './sampler.ts';
import { startStallDetector } from './stall-detector.ts';

export interface StallBlameOptions {
  /** A stall is the loop running a due heartbeat more than this late (ms, default 20). */
  thresholdMs?: number;
  /** V8's sampling interval (µs, default 1000): stalls much shorter than it are seen by few samples or none. */
  samplingIntervalUs?: number;
  /** The heartbeat's period (ms, default 1). */
  heartbeatMs?: number;
  /** Profile segment length (ms, default 1000): each rotation stops and restarts the profiler. */
  segmentMs?: number;
}

export interface StallBlame {
  /** The report from the start until now (rotates the profile to include the latest samples). */
  snapshot(): BlameReport;
  /** Stops profiling and the heartbeat; the final report. */
  stop(): Promise<BlameReport>;
}

export const STALL_BLAME_DEFAULTS = Object.freeze({ thresholdMs: 20, samplingIntervalUs: 1000, heartbeatMs: 1, segmentMs: 1000 });

const LIMITS: Record<keyof StallBlameOptions, [number, number, string]> = {
  thresholdMs: [1, 60_000, 'ms'],
  samplingIntervalUs: [50, 100_000, 'µs'],
  heartbeatMs: [1, 1000, 'ms'],
  segmentMs: [100, 60_000, 'ms'],
};

/** The options with defaults filled in; throws naming the option and its range when one is out of range. */
export function resolveOptions(options: StallBlameOptions): Required<StallBlameOptions> {
  const resolved = { ...STALL_BLAME_DEFAULTS, ...options };
  for (const [name, [min, max, unit]] of Object.entries(LIMITS) as [keyof StallBlameOptions, [number, number, string]][]) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`stall-blame: options.${name} must be a whole number of ${unit} in ${min}..${max} (got ${value})`);
    }
  }
  if (resolved.heartbeatMs >= resolved.thresholdMs) {
    throw new RangeError(`stall-blame: options.heartbeatMs (${resolved.heartbeatMs}) must be below options.thresholdMs (${resolved.thresholdMs})`);
  }
  return resolved;
}

/**
 * Starts naming the code that stalls this thread's event loop: V8's sampling profiler runs all the time,
 * in segments of `segmentMs`, and a heartbeat marks the stall windows; at each rotation the samples that
 * fall inside a window are charged to the first frame in the user's code. Runs on the calling thread
 * (the main thread, normally) and costs it the rotations, which the report measures.
 */
export function startStallBlame(options: StallBlameOptions = {}): StallBlame {
  const settings = resolveOptions(options);
  const startedAt = new Date();
  const started = performance.now();
  const tallies: Tallies = new Map();
  let sampledUs = 0;
  let idleUs = 0;
  const sampler = startSampler(settings.samplingIntervalUs);
  let segmentStart = performance.now();
  let stopped: BlameReport | null = null;

  const absorb = (profile: ReturnType<typeof sampler.rotate>) => {
    const covered = attribute(profile, detector.take(), tallies);
    sampledUs += covered.coveredUs;
    idleUs += covered.idleUs;
  };
  const rotate = () => {
    absorb(sampler.rotate());
    segmentStart = performance.now();
  };
  const detector = startStallDetector(settings.thresholdMs, settings.heartbeatMs, function stallBlameTick() {
    if (performance.now() - segmentStart >= settings.segmentMs) rotate();
  });

  const report = (): BlameReport => {
    const totals = detector.totals();
    return {
      window: { startedAt: startedAt.toISOString(), endedAt: new Date().toISOString(), ms: performance.now() - started },
      options: settings,
      stalls: totals.count,
      stallMs: totals.totalMs,
      longestStallMs: totals.longestMs,
      sampledMs: sampledUs / 1000,
      idleMs: idleUs / 1000,
      culprits: blameLines(tallies),
      profiler: sampler.cost(),
    };
  };

  return {
    snapshot() {
      if (stopped) return stopped;
      detector.check();
      rotate();
      return report();
    },
    async stop() {
      if (stopped) return stopped;
      detector.check();
      detector.close();
      absorb(sampler.close());
      stopped = report();
      return stopped;
    },
  };
}
