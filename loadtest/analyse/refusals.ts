import type { RunMeasurement, ScenarioResult, StatusCount } from '../types.ts';

/** Above this share of failed requests a scenario was mostly refused: its throughput says nothing of speed. */
export const MOSTLY_REFUSED = 0.5;

/** One log's (or one run's) non-2xx answers: counts by status and one body per status. */
interface StatusTally {
  counts: Readonly<Record<string, number>>;
  samples: Readonly<Record<string, string | null>>;
}

/** Sums tallies into one list by status, most frequent first; each status keeps the first sample seen. */
export function statusCounts(tallies: readonly StatusTally[]): StatusCount[] {
  const byStatus = new Map<number, StatusCount>();
  for (const { counts, samples } of tallies) {
    for (const [status, count] of Object.entries(counts)) {
      const code = Number(status);
      const found = byStatus.get(code) ?? { status: code, count: 0, sample: null };
      found.count += count;
      found.sample ??= samples[status] ?? null;
      byStatus.set(code, found);
    }
  }
  return [...byStatus.values()].sort((a, b) => b.count - a.count || a.status - b.status);
}

/** A run's statuses as a tally (a results.json written before they were kept has none). */
export function runStatuses(run: RunMeasurement): StatusTally {
  const list = run.statuses ?? [];
  return {
    counts: Object.fromEntries(list.map((s) => [String(s.status), s.count])),
    samples: Object.fromEntries(list.map((s) => [String(s.status), s.sample])),
  };
}

/** Failed requests (non-2xx, errors, timeouts) as a share of every request that ended; 0 when none did. */
export function refusedShare(r: ScenarioResult): number {
  const failed = r.summary.non2xx + r.summary.errors + r.summary.timeouts;
  const all = r.summary.ok + failed;
  return all > 0 ? failed / all : 0;
}

export const isMostlyRefused = (r: ScenarioResult) => refusedShare(r) > MOSTLY_REFUSED;

/** One line: the statuses with their counts and a sample body each, then errors and timeouts; '' when none. */
export function refusalText(r: ScenarioResult): string {
  const statuses = (r.summary.statuses ?? []).map(
    (s) => `${s.status} ×${s.count}${s.sample ? ` (${JSON.stringify(s.sample.replace(/\s+/g, ' ').trim())})` : ''}`,
  );
  if (r.summary.errors > 0) statuses.push(`connection errors ×${r.summary.errors}`);
  if (r.summary.timeouts > 0) statuses.push(`timeouts ×${r.summary.timeouts}`);
  return statuses.join(', ');
}
