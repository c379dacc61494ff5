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

export { SUM_SQUARES_MAX_N };
