import type { BoundAnswer } from '../../contract/bound.ts';
import type { Bound, CpuBaseline, Scenario, ScenarioResult, ServerFacts } from '../types.ts';

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
export function computeBound(
  scenario: Scenario,
  model: BoundAnswer | null,
  facts: ServerFacts,
  baseline: CpuBaseline,
): Bound | null {
  const open = scenario.rate !== undefined;
  const concurrency = open ? Number.POSITIVE_INFINITY : scenario.connections;
  const workers = scenario.workers ?? facts.workers;
  const bound = !model
    ? null
    : scenario.mode === 'queue'
      ? queueBound(scenario, model, facts, baseline, concurrency)
      : modelBound(scenario, model, facts, baseline, concurrency, workers);
  if (!open) return bound;
  const rate = scenario.rate as number;
  if (!bound || bound.rps > rate) return { rps: rate, basis: `the offered rate, ${rate}/s` };
  return bound;
}

/**
 * Queue mode runs the worker form in the queue worker processes: the worker mode's model with the
 * queue's slots (QUEUE_WORKERS × QUEUE_CONCURRENCY, shared by every server process) for the pool. The
 * trip through the backend is not in it, so the bound is optimistic by the queue's own latency. None
 * when the server started no queue workers (they run elsewhere, in numbers it cannot know).
 */
function queueBound(
  scenario: Scenario,
  model: BoundAnswer,
  facts: ServerFacts,
  baseline: CpuBaseline,
  concurrency: number,
): Bound | null {
  const slots = (facts.queue?.workers ?? 0) * (facts.queue?.concurrency ?? 0);
  if (slots === 0) return null;
  const { processes: _processes, ...single } = scenario;
  return modelBound({ ...single, mode: 'worker' }, model, facts, baseline, concurrency, slots, 'queue slots');
}

function modelBound(
  scenario: Scenario,
  model: BoundAnswer,
  facts: ServerFacts,
  baseline: CpuBaseline,
  concurrency: number,
  perProcessWorkers: number,
  workersName = 'workers',
): Bound | null {
  const c = Number.isFinite(concurrency) ? `${concurrency} connections` : 'unlimited arrivals';
  // In a cluster every process has its own event loop and pools (the facts are per process).
  const processes = scenario.processes ?? 1;
  const times = (n: number) => (processes > 1 ? `${processes} processes × ${n}` : `${n}`);
  const workers = perProcessWorkers * processes;
  if (model.kind === 'wait') {
    const wait = model.modes[scenario.mode as keyof typeof model.modes];
    if (!wait || wait.ms <= 0) return null;
    const what = wait.basis ?? `${wait.ms} ms`;
    const [n, who] =
      wait.concurrency === 'one'
        ? [
            Math.min(processes, concurrency),
            processes > 1 ? `${processes} processes × 1 request at a time ×` : '1 request at a time ×',
          ]
        : wait.concurrency === 'workers'
          ? [Math.min(concurrency, workers), `min(${c}, ${times(perProcessWorkers)} ${workersName}) tasks of`]
          : [concurrency, `${c} each waiting`];
    const byWait = { rps: littles(n, wait.ms), basis: `${who} ${what}` };
    if (!wait.pool) return byWait;
    const byPool = littles(wait.pool.size * processes, wait.pool.holdMs);
    if (byPool >= byWait.rps) return byWait;
    return { rps: byPool, basis: processes > 1 ? `${processes} processes × ${wait.pool.basis}` : wait.pool.basis };
  }
  const threads = model.modes[scenario.mode as keyof typeof model.modes]?.threads;
  const base = baseline[scenario.workload];
  if (!threads || !base || base.msPerRequest <= 0) return null;
  const single = 1000 / base.msPerRequest;
  const [n, what] =
    threads === 'libuv'
      ? [
          Math.min(facts.uvThreadpoolSize * processes, facts.cpus, concurrency),
          `min(libuv pool ${times(facts.uvThreadpoolSize)}, ${facts.cpus} cores, ${c})`,
        ]
      : threads === 'workers'
        ? [
            Math.min(workers, facts.cpus, concurrency),
            `min(${times(perProcessWorkers)} ${workersName}, ${facts.cpus} cores, ${c})`,
          ]
        : processes > 1
          ? [Math.min(processes, facts.cpus, concurrency), `min(${processes} event loops, ${facts.cpus} cores, ${c})`]
          : [1, 'the event-loop thread'];
  return { rps: single * n, basis: `single-thread rate ${single.toFixed(1)}/s × ${what}`, cpu: true };
}

/**
 * Whether a scenario served more than its CPU bound allows even at the fastest single-thread cost the
 * baseline measured (its groups at the start and the end of the run): then the figure is not noise in
 * the baseline but a bound that does not hold for this run, and is said so. Null when it has no such bound.
 */
export function beyondBaseline(
  result: ScenarioResult,
  baseline: CpuBaseline,
): { fastestMs: number; slowestMs: number } | null {
  const base = baseline[result.scenario.workload];
  if (!result.bound?.cpu || !base || result.efficiency === null || result.efficiency <= 1) return null;
  const seen = [base.msPerRequest, base.minMs, base.maxMs, base.atEndMs].filter(
    (v): v is number => typeof v === 'number',
  );
  const fastestMs = Math.min(...seen);
  const slowestMs = Math.max(...seen);
  return result.efficiency > base.msPerRequest / fastestMs ? { fastestMs, slowestMs } : null;
}
