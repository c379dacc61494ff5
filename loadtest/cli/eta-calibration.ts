/**
 * The live time-left estimate, calibrated by the run itself. A run's warm-up and measured window last
 * exactly what the options say; everything else — the settle waits (a blocking server's backlog makes
 * them long), the `/health` probe's start-up, scraping, the drain, a server restart — depends on the
 * machine and the mode, and an a-priori figure was off both ways (1 min 42 s announced for a run of
 * 79 s). So each finished run's overhead is measured, in two parts split at its measured window, and
 * the runs left are estimated with the mean overhead of the finished runs of the same mode (else of
 * all finished runs, else eta.ts's a-priori figure). Fixed times are never scaled.
 */

/** One run of the plan, as the estimate sees it. */
export interface PlannedRun {
  mode: string;
  warmup: number;
  duration: number;
}

/** What a run took beyond its warm-up and measured window, seconds. */
export interface Overhead {
  /** From its start until its measured window opened, less the warm-up: settle waits, the probe's start. */
  before: number;
  /** From the end of its measured window until the next run began: the window's edges, the drain, restarts. */
  after: number;
}

export interface FinishedRun extends Overhead {
  mode: string;
}

/** Where the run under way is: seconds since it began, and since its measured window opened, if it has. */
export interface RunUnderWay {
  elapsed: number;
  measuringFor?: number | undefined;
}

/** A finished run's overhead from its timestamps (seconds); without a measured window, all of it is `before`. */
export function overheadOf(
  run: PlannedRun,
  startedAt: number,
  measuringAt: number | undefined,
  endedAt: number,
): FinishedRun {
  if (measuringAt === undefined)
    return { mode: run.mode, before: Math.max(0, endedAt - startedAt - run.warmup - run.duration), after: 0 };
  return {
    mode: run.mode,
    before: Math.max(0, measuringAt - startedAt - run.warmup),
    after: Math.max(0, endedAt - measuringAt - run.duration),
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The overhead to expect of a run of `mode`: the finished runs' mean, the same mode's when there are some. */
export function expectedOverhead(mode: string, finished: readonly FinishedRun[], prior: Overhead): Overhead {
  const same = finished.filter((r) => r.mode === mode);
  const basis = same.length > 0 ? same : finished;
  if (basis.length === 0) return prior;
  return { before: mean(basis.map((r) => r.before)), after: mean(basis.map((r) => r.after)) };
}

/**
 * Seconds left in the plan: the run under way (`plan[finished.length]`) from where it is, then every
 * run after it at its fixed length plus its expected overhead. `prior(run)` is the a-priori overhead.
 */
export function calibratedSecondsLeft(
  plan: readonly PlannedRun[],
  finished: readonly FinishedRun[],
  current: RunUnderWay | undefined,
  prior: (run: PlannedRun) => Overhead,
): number {
  const expect = (run: PlannedRun) => expectedOverhead(run.mode, finished, prior(run));
  let left = 0;
  const index = finished.length;
  const now = plan[index];
  if (now && current) {
    const o = expect(now);
    left +=
      current.measuringFor === undefined
        ? // Not measuring yet: at least the window and what follows it; more while the start looks on time.
          Math.max(0, now.warmup + o.before - current.elapsed) + now.duration + o.after
        : Math.max(0, now.duration - current.measuringFor) + o.after;
  }
  for (const run of plan.slice(current ? index + 1 : index)) {
    const o = expect(run);
    left += run.warmup + run.duration + o.before + o.after;
  }
  return left;
}
