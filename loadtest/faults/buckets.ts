import type { Outcome as Answer } from '../measure/outcome-log.ts';

/** Outcomes of the requests that were due in one second, by status (or "error" for no answer). */
export interface SecondBucket {
  second: number;
  workload: string;
  outcomes: Record<string, number>;
}

/** Counts each workload's requests by the second they were due (seconds from `t0`, performance.now() ms). */
export function bucketize(
  outcomes: Record<string, ReadonlyArray<{ dueAt: number; outcome: Answer }>>,
  t0: number,
): SecondBucket[] {
  const buckets = new Map<string, SecondBucket>();
  for (const [workload, list] of Object.entries(outcomes)) {
    for (const o of list) {
      const second = Math.floor((o.dueAt - t0) / 1000);
      const id = `${workload}:${second}`;
      const bucket = buckets.get(id) ?? { second, workload, outcomes: {} };
      const key = String(o.outcome);
      bucket.outcomes[key] = (bucket.outcomes[key] ?? 0) + 1;
      buckets.set(id, bucket);
    }
  }
  return [...buckets.values()].sort((a, b) => a.second - b.second || a.workload.localeCompare(b.workload));
}
