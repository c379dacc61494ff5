import { computeBound } from './bounds.ts';
import { summarizeQueue } from './queue-summary.ts';
import { runStatuses, statusCounts } from './refusals.ts';
import { spread, spreadOfPresent } from './stats.ts';
import type { BoundAnswer } from '../../contract/bound.ts';
import type { CpuBaseline, RunMeasurement, Scenario, ScenarioResult, ServerFacts } from '../types.ts';

/** Generator CPU (in cores) above which the load generator, not the server, may be the limit. */
const GENERATOR_BOUND_CORES = 0.9;
/** Send-lag p99 above both of these means the generator's own lateness inflates the latencies materially. */
const SEND_LAG_FLOOR_MS = 2;
const SEND_LAG_SHARE_OF_P50 = 0.1;
/** Machine CPU share above which the cores the CPU bounds assume free were not free. */
const MACHINE_SATURATED = 0.9;

/** Combines a scenario's runs into medians and flags, and judges them against their bound. */
export function summarize(
  scenario: Scenario,
  runs: RunMeasurement[],
  model: BoundAnswer | null,
  facts: ServerFacts | null,
  baseline: CpuBaseline,
): ScenarioResult {
  const pick = (f: (r: RunMeasurement) => number) => spread(runs.map(f));
  const present = (f: (r: RunMeasurement) => number | null | undefined) => spreadOfPresent(runs.map(f));
  const sum = (f: (r: RunMeasurement) => number) => runs.reduce((acc, r) => acc + f(r), 0);
  const summary: ScenarioResult['summary'] = {
    rps: pick((r) => r.rps),
    failedPerSecond: pick((r) => r.failedPerSecond),
    ok: sum((r) => r.ok),
    n: sum((r) => r.latency.n),
    p50: present((r) => r.latency.p50),
    p90: present((r) => r.latency.p90),
    p99: present((r) => r.latency.p99),
    p999: present((r) => r.latency.p999),
    max: present((r) => r.latency.max),
    failedP99: present((r) => r.failedLatency.p99),
    failedMax: present((r) => r.failedLatency.max),
    latencyIsLowerBound: runs.some((r) => r.latencyIsLowerBound),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    statuses: statusCounts(runs.map(runStatuses)),
    dropped: sum((r) => r.dropped),
    abandoned: sum((r) => r.abandoned),
    healthP50: present((r) => r.health.p50),
    healthP99: present((r) => r.health.p99),
    healthMax: present((r) => r.health.max),
    eventLoopDelayP99Ms: present((r) => r.server?.eventLoopDelayP99Ms),
    eventLoopDelayMaxMs: present((r) => r.server?.eventLoopDelayMaxMs),
    eventLoopUtilization: present((r) => r.server?.eventLoopUtilization),
    serverCpu: present((r) => r.server?.cpuCores),
    generatorCpu: pick((r) => r.generatorCpu),
    sendLagP99: present((r) => r.sendLag?.p99),
    machineBusy: present((r) => (r.machineCpu ? r.machineCpu.busyCores / r.machineCpu.cores : null)),
    queue: scenario.mode === 'queue' ? summarizeQueue(runs) : null,
  };
  const bound = facts ? computeBound(scenario, model, facts, baseline) : null;
  const lag = summary.sendLagP99?.median;
  const p50 = summary.p50?.median;
  return {
    scenario,
    runs,
    summary,
    bound,
    efficiency: bound ? summary.rps.median / bound.rps : null,
    // Per generator process (each is one thread): two generators at 0.6 cores each are not the limit.
    generatorBound: spread(runs.map((r) => r.busiestGeneratorCpu)).median >= GENERATOR_BOUND_CORES,
    generatorLagged:
      lag !== undefined && lag > SEND_LAG_FLOOR_MS && (p50 === undefined || lag > SEND_LAG_SHARE_OF_P50 * p50),
    machineSaturated: (summary.machineBusy?.median ?? 0) >= MACHINE_SATURATED,
  };
}
