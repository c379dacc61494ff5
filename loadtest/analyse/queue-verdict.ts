import { fmtMs, fmtRatio } from '../report/format.ts';
import type { ScenarioResult } from '../types.ts';

/** A group's queue rows by row name (`queue`, or `queue-postgres`, `queue-redis` with --queue-backends). */
export type QueueRows = ReadonlyArray<readonly [string, ScenarioResult]>;

/**
 * What the verdict says about queue mode beyond throughput: where a job's time went (the server's
 * histograms, exact means), and with several backends how they compare, the first as the reference.
 * `noise` is the verdict's run-to-run note for two scenarios.
 */
export function queueParts(queues: QueueRows, noise: (a: ScenarioResult, b: ScenarioResult) => string): string[] {
  const parts: string[] = [];
  for (const [name, r] of queues) {
    const q = r.summary.queue;
    if (q)
      parts.push(
        `${name}: jobs waited ${fmtMs(q.waitMs.median)} for a queue worker and ran ${fmtMs(q.processingMs.median)} in ` +
          `it (means of ${q.jobs} jobs, from the server's histograms)`,
      );
  }
  const [reference, ...others] = queues;
  if (!reference || reference[1].summary.ok === 0) return parts;
  for (const [name, r] of others) {
    parts.push(
      `${name} serves ${fmtRatio(r.summary.rps.median / reference[1].summary.rps.median)} ${reference[0]}${noise(r, reference[1])}`,
    );
  }
  return parts;
}
