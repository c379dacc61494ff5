import { spreadOfPresent } from './stats.ts';
import type { QueueSummary, RunMeasurement } from '../types.ts';

/**
 * A queue scenario's split over its runs: the jobs counted in all, and the median of the runs' exact
 * means (as every other figure is the median over runs). Null when no run counted a job: a mean of
 * nothing is not a figure.
 */
export function summarizeQueue(runs: readonly RunMeasurement[]): QueueSummary | null {
  const measured = runs.flatMap((r) => (r.queue && r.queue.jobs > 0 ? [r.queue] : []));
  const waitMs = spreadOfPresent(measured.map((q) => q.wait.meanMs));
  const processingMs = spreadOfPresent(measured.map((q) => q.processing.meanMs));
  if (!waitMs || !processingMs) return null;
  return {
    jobs: measured.reduce((n, q) => n + q.jobs, 0),
    waitMs,
    processingMs,
    // A run whose p99 fell in the unbounded last bucket has no bound to give: then none is claimed.
    waitP99AtMostMs: measured.every((q) => q.wait.p99AtMostMs !== null)
      ? spreadOfPresent(measured.map((q) => q.wait.p99AtMostMs))
      : null,
    processingP99AtMostMs: measured.every((q) => q.processing.p99AtMostMs !== null)
      ? spreadOfPresent(measured.map((q) => q.processing.p99AtMostMs))
      : null,
  };
}
