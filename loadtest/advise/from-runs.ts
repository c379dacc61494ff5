/** A candidate's row of the evidence table, from its measured runs (the harness's own figures, medians over runs). */
import { median } from '../analyse/stats.ts';
import type { RunMeasurement } from '../types.ts';
import type { Candidate, Evidence } from './evidence.ts';

const medianOf = (values: ReadonlyArray<number | null | undefined>): number | null => {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length > 0 ? median(present) : null;
};

export function evidenceFrom(candidate: Candidate, runs: readonly RunMeasurement[]): Evidence {
  // Refused or failed, as refusals.ts counts them: non-2xx answers, connection errors and timeouts.
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  const bad = runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  return {
    candidate,
    rps: runs.map((r) => r.rps),
    // Under 100 answers a run has no p99; its slowest answer stands in (docs/guide/advise.md says so).
    p99Ms: medianOf(runs.map((r) => r.latency.p99 ?? r.latency.max)),
    healthP99Ms: medianOf(runs.map((r) => r.health.p99 ?? r.health.max)),
    loopBusy: medianOf(runs.map((r) => r.server?.eventLoopUtilization)),
    cpuMsPerRequest: medianOf(runs.map((r) => (r.server && r.rps > 0 ? (r.server.cpuCores * 1000) / r.rps : null))),
    // The peak within the window where the server reports it (what the candidate needs), else its end.
    rssMb: medianOf(runs.map((r) => r.server?.rssPeakMb ?? r.server?.rssEndMb)),
    refusedShare: ok + bad > 0 ? bad / (ok + bad) : 0,
    othersCores: medianOf(
      runs.map((r) =>
        r.machineCpu && r.server
          ? Math.max(0, r.machineCpu.busyCores - r.server.cpuCores - (r.generatorCpu ?? 0))
          : null,
      ),
    ),
  };
}
