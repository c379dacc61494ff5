import { pbkdf2Sync } from 'node:crypto';
import { runToEnd } from '../../server/workloads/steps.ts';
import { sumSquares, SUM_SQUARES_MAX_N } from '../../server/workloads/cpu-tasks.ts';

/**
 * How long the largest sum-squares request takes on this machine, right now, estimated from a run
 * of a tenth of it in this process. Tests size their deadlines from it instead of assuming a CPU speed.
 */
export function largestSumSquaresMs(): number {
  const started = performance.now();
  runToEnd(sumSquares(SUM_SQUARES_MAX_N / 10));
  return (performance.now() - started) * 10;
}

/**
 * PBKDF2-SHA256 iterations that take about `ms` of CPU on this machine: the fastest of three timed runs of
 * a small count (the one least slowed by other processes), scaled. A fixed count is a guess at the CPU's
 * speed: on this 2-core EPYC 150 000 iterations took 22 to 26 ms with a CPU free and about 47 ms beside
 * other processes, and stall blame's threshold is 20 ms.
 */
export function pbkdf2IterationsForMs(ms: number): number {
  const probe = 20_000;
  let fastestMs = Infinity;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    pbkdf2Sync('password', 'salt', probe, 32, 'sha256');
    fastestMs = Math.min(fastestMs, performance.now() - started);
  }
  return Math.ceil((probe * ms) / fastestMs);
}

export { SUM_SQUARES_MAX_N };
