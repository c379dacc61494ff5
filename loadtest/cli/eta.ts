import { QUIET_MS } from '../measure/settle.ts';
import type { HarnessOptions, Scenario } from '../types.ts';
import type { Overhead } from './eta-calibration.ts';

/**
 * One wait until the server has settled (settle.ts): the finished-request count must stand still for
 * `QUIET_MS`, then a `/health` check and two scrapes of `/metrics`. A run waits once before its load and
 * once more after a warm-up. A blocking server's backlog makes it longer, which the live estimate
 * (eta-calibration.ts) picks up from the runs already done.
 */
const SETTLE_SECONDS = QUIET_MS / 1000 + 0.2;
/** Forking the `/health` probe process and loading it through tsx: 0.75–1.2 s alone on 2 cores, ~2 s under load. */
const PROBE_START_SECONDS = 1.5;
/**
 * Around the measured window: autocannon stops on its next 1 s tick, the probe waits for its last
 * answers, and the metrics and CPU are read on both sides.
 */
const WINDOW_EDGES_SECONDS = 0.5;
/** Restarting the server for another --workers or --processes value. */
export const SERVER_RESTART_SECONDS = 4;
/** Stopping the server the harness started, after the last run (the CPU baseline's second measurement is timed live). */
const SERVER_STOP_SECONDS = 1;
/** The server's stop after the last run: only one the harness started (not --url, not --target). */
export const stopSeconds = (options: Pick<HarnessOptions, 'url' | 'target'>) =>
  options.url || options.target ? 0 : SERVER_STOP_SECONDS;
/** The open model waits at most this long for late answers after each load phase (see scenario.ts). */
const MAX_DRAIN_SECONDS = 10;

/**
 * The a-priori time a run takes beyond its warm-up and measured window, split at the window as the live
 * estimate measures it (eta-calibration.ts): the settle waits and the probe's start before, the edges after.
 */
export function priorOverhead(options: Pick<HarnessOptions, 'warmup'>): Overhead {
  const settles = options.warmup > 0 ? 2 : 1;
  return { before: settles * SETTLE_SECONDS + PROBE_START_SECONDS, after: WINDOW_EDGES_SECONDS };
}

/** Expected and worst-case seconds of one run of a scenario. */
export function runSeconds(
  options: Pick<HarnessOptions, 'duration' | 'warmup'>,
  scenario: Pick<Scenario, 'rate'>,
): { expected: number; worst: number } {
  const { before, after } = priorOverhead(options);
  const expected = options.warmup + options.duration + before + after;
  // A server behind the offered rate holds a backlog after each load phase, waited for up to the drain.
  const drain =
    scenario.rate === undefined
      ? 0
      : Math.min(MAX_DRAIN_SECONDS, options.warmup) + Math.min(MAX_DRAIN_SECONDS, options.duration);
  return { expected, worst: expected + drain };
}

/**
 * The whole plan as announced once the server is up (the CLI prints it after start-up, so start-up is
 * not in it): every run of every scenario, and the server restarts of a worker sweep.
 */
export function planSeconds(
  options: HarnessOptions,
  scenarios: readonly Scenario[],
): { expected: number; worst: number } {
  const servers = Math.max(1, options.workers.length) * Math.max(1, options.processes.length);
  const restarts = (servers - 1) * SERVER_RESTART_SECONDS + stopSeconds(options);
  let expected = restarts;
  let worst = restarts;
  for (const scenario of scenarios) {
    const run = runSeconds(options, scenario);
    expected += run.expected * options.repeat;
    worst += run.worst * options.repeat;
  }
  return { expected, worst };
}

/**
 * What is left, scaled by how the runs so far compared with their estimate (the seeds command's
 * estimate; the load test's own is calibrated per part, eta-calibration.ts).
 */
export function remainingSeconds(estimatedLeft: number, doneEstimated: number, doneActual: number): number {
  const pace = doneEstimated > 0 ? Math.max(0.5, Math.min(4, doneActual / doneEstimated)) : 1;
  return estimatedLeft * pace;
}

/** `1 s`, `45 s`, `1 min 05 s`, `12 min`: never rounds a short run up to a minute. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.round(s / 60)} min`;
}
