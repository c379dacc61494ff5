import type { BoundAnswer } from '../../server/workloads/bound-answer.ts';
import type { Bound, CpuBaseline, Scenario, ServerFacts } from '../types.ts';

/** Little's law: concurrency / time per request, in requests per second. */
const littles = (concurrency: number, ms: number) => (concurrency * 1000) / ms;

/**
 * The highest throughput a scenario can reach, or null where no simple bound exists (the workload
 * declares no model, or an I/O workload has no wait to speak of). The model is the server's answer
 * for the run's parameters (`GET /<workload>/bound`): for a `wait` model Little's law on the wait
 * with the mode's concurrency, and the shared pool it queues for; for a `cpu` model the single-thread
 * rate measured in the same run times the threads the mode can use. In the open model the offered
 * rate is itself a bound.
 */
export function computeBound(scenario: Scenario, model: BoundAnswer | null, facts: ServerFacts, baseline: CpuBaseline): Bound | null {
  const open = scenario.rate !== undefined;
  const concurrency = open ? Number.POSITIVE_INFINITY : scenario.connections;
  const workers = scenario.workers ?? facts.workers;
  const bound = model ? modelBound(scenario, model, facts, baseline, concurrency, workers) : null;
  if (!open) return bound;
  const rate = scenario.rate as number;
  if (!bound || bound.rps > rate) return { rps: rate, basis: `the offered rate, ${rate}/s` };
  return bound;
}

function modelBound(scenario: Scenario, model: BoundAnswer, facts: ServerFacts, baseline: CpuBaseline, concurrency: number, workers: number): Bound | null {
  const c = Number.isFinite(concurrency) ? `${concurrency} connections` : 'unlimited arrivals';
  if (model.kind === 'wait') {
    const wait = model.modes[scenario.mode as keyof typeof model.modes];
    if (!wait || wait.ms <= 0) return null;
    const what = wait.basis ?? `${wait.ms} ms`;
    const [n, who] =
      wait.concurrency === 'one' ? [1, '1 request at a time ×'] : wait.concurrency === 'workers' ? [Math.min(concurrency, workers), `min(${c}, ${workers} workers) tasks of`] : [concurrency, `${c} each waiting`];
    const byWait = { rps: littles(n, wait.ms), basis: `${who} ${what}` };
    if (!wait.pool) return byWait;
    const byPool = littles(wait.pool.size, wait.pool.holdMs);
    return byPool < byWait.rps ? { rps: byPool, basis: wait.pool.basis } : byWait;
  }
  const threads = model.modes[scenario.mode as keyof typeof model.modes]?.threads;
  const base = baseline[scenario.workload];
  if (!threads || !base || base.msPerRequest <= 0) return null;
  const single = 1000 / base.msPerRequest;
  const [n, what] =
    threads === 'libuv'
      ? [Math.min(facts.uvThreadpoolSize, facts.cpus, concurrency), `min(libuv pool ${facts.uvThreadpoolSize}, ${facts.cpus} cores, ${c})`]
      : threads === 'workers'
        ? [Math.min(workers, facts.cpus, concurrency), `min(${workers} workers, ${facts.cpus} cores, ${c})`]
        : [1, 'the event-loop thread'];
  return { rps: single * n, basis: `single-thread rate ${single.toFixed(1)}/s × ${what}` };
}
