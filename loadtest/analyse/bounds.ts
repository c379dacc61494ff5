import type { Bound, CpuBaseline, Scenario, ServerFacts } from '../types.ts';

const num = (params: Record<string, string>, key: string, fallback: number) => {
  const value = Number(params[key]);
  return Number.isFinite(value) ? value : fallback;
};

/** Little's law: concurrency / time per request, in requests per second. */
const littles = (concurrency: number, ms: number) => (concurrency * 1000) / ms;

/**
 * The highest throughput a scenario can reach, or null where no simple bound exists (an I/O workload
 * with no wait to speak of). I/O bounds come from Little's law on the wait the parameters impose; CPU
 * bounds from the single-thread rate measured in the same run times the cores the mode can use.
 * In the open model the offered rate is itself a bound.
 */
export function computeBound(
  scenario: Scenario,
  params: Record<string, string>,
  facts: ServerFacts,
  baseline: CpuBaseline,
): Bound | null {
  const open = scenario.rate !== undefined;
  const concurrency = open ? Number.POSITIVE_INFINITY : scenario.connections;
  const workers = scenario.workers ?? facts.workers;
  const bound = ioOrCpuBound(scenario, params, facts, baseline, concurrency, workers);
  if (!open) return bound;
  const rate = scenario.rate as number;
  if (!bound || bound.rps > rate) return { rps: rate, basis: `the offered rate, ${rate}/s` };
  return bound;
}

function ioOrCpuBound(
  scenario: Scenario,
  params: Record<string, string>,
  facts: ServerFacts,
  baseline: CpuBaseline,
  concurrency: number,
  workers: number,
): Bound | null {
  const { mode } = scenario;
  const c = Number.isFinite(concurrency) ? `${concurrency} connections` : 'unlimited arrivals';
  switch (scenario.workload) {
    case 'fetch': {
      const delay = num(params, 'delay', 50);
      const count = num(params, 'count', 1);
      if (delay <= 0) return null;
      if (mode === 'blocking') return { rps: littles(1, count * delay), basis: `1 request at a time × ${count} call(s) of ${delay} ms in sequence` };
      if (mode === 'async') return { rps: littles(concurrency, delay), basis: `${c} each waiting ${delay} ms (calls of a request overlap)` };
      return { rps: littles(Math.min(concurrency, workers), delay), basis: `min(${c}, ${workers} workers) tasks of ${delay} ms` };
    }
    case 'db': {
      const sleep = num(params, 'sleep', 0);
      const queries = num(params, 'queries', 1);
      if (sleep <= 0) return null;
      if (mode === 'blocking') return { rps: littles(1, queries * sleep), basis: `1 request at a time × ${queries} quer(ies) of ${sleep} ms in sequence` };
      if (mode === 'async') {
        const byConnections = littles(concurrency, sleep);
        const byPool = littles(facts.dbPool, queries * sleep);
        return byPool < byConnections
          ? { rps: byPool, basis: `DB pool of ${facts.dbPool} × ${queries} quer(ies) of ${sleep} ms` }
          : { rps: byConnections, basis: `${c} each waiting ${sleep} ms` };
      }
      const rounds = Math.ceil(queries / facts.workerDbPool);
      return { rps: littles(Math.min(concurrency, workers), rounds * sleep), basis: `min(${c}, ${workers} workers) tasks of ${rounds} × ${sleep} ms` };
    }
    case 'hash':
    case 'cpu': {
      const base = baseline[scenario.workload];
      if (!base || base.msPerRequest <= 0) return null;
      const single = 1000 / base.msPerRequest;
      const offloadsToLibuv = scenario.workload === 'hash' && (params['algo'] ?? 'pbkdf2') !== 'sha256';
      let threads = 1;
      let what = 'the event-loop thread';
      if (mode === 'async' && offloadsToLibuv) {
        threads = Math.min(facts.uvThreadpoolSize, facts.cpus, concurrency);
        what = `min(libuv pool ${facts.uvThreadpoolSize}, ${facts.cpus} cores, ${c})`;
      } else if (mode === 'worker') {
        threads = Math.min(workers, facts.cpus, concurrency);
        what = `min(${workers} workers, ${facts.cpus} cores, ${c})`;
      }
      return { rps: single * threads, basis: `single-thread rate ${single.toFixed(1)}/s × ${what}` };
    }
  }
}
