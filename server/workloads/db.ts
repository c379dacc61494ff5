import { randomInt } from 'node:crypto';
import { WORLD_ROWS } from '../clients/world-store.ts';
import type { AsyncClients, WorldRow } from '../clients/index.ts';
import { splitSignal } from './split-signal.ts';
import { defineWorkload } from './workload.ts';

/** Bound on queries × sleep: in blocking mode the queries run one after another. */
const MAX_TOTAL_SLEEP_MS = 30_000;

const randomId = () => randomInt(1, WORLD_ROWS + 1);
const ids = (queries: number) => Array.from({ length: queries }, randomId);

/**
 * All queries at once. One query (the default, and the bench's `/db/async?queries=1`) takes a path
 * without arrays, Promise.all, a split signal or an async function of its own: a heap profile of that
 * path under load showed their allocations beside the query's own.
 */
function queryConcurrently(
  params: { queries: number; sleep: number },
  io: AsyncClients,
  signal?: AbortSignal,
): Promise<{ rows: WorldRow[] }> {
  if (params.queries === 1) return io.db.findWorld(randomId(), params.sleep, signal).then(oneRow);
  const signals = splitSignal(signal, params.queries);
  return Promise.all(ids(params.queries).map((id, i) => io.db.findWorld(id, params.sleep, signals[i]))).then(
    (rows) => ({ rows }),
  );
}

const oneRow = (row: WorldRow) => ({ rows: [row] });

export const dbWorkload = defineWorkload({
  name: 'db',
  summary: 'Random rows of the 10,000-row World table, one query each (TechEmpower "multiple queries").',
  params: {
    queries: { kind: 'int', min: 1, max: 500, default: 1, doc: 'rows to fetch, one query per row' },
    sleep: {
      kind: 'int',
      min: 0,
      max: 10_000,
      default: 0,
      unit: 'ms',
      doc: `server-side pg_sleep added to each query, to model a slow query; queries × sleep ≤ ${MAX_TOTAL_SLEEP_MS}`,
    },
  },
  modes: {
    blocking:
      'one synchronous query after another; the event loop waits on each (Atomics.wait on a helper thread doing the I/O)',
    async: 'all queries at once on the postgres.js pool (DB_POOL connections), awaited',
    worker: "the async form inside a pool worker thread, on that worker's own DB pool (WORKER_DB_POOL)",
  },
  check({ queries, sleep }) {
    if (queries * sleep <= MAX_TOTAL_SLEEP_MS) return undefined;
    return {
      param: 'sleep',
      error: `queries × sleep must not exceed ${MAX_TOTAL_SLEEP_MS} ms`,
      allowed: `whole number 0..${Math.floor(MAX_TOTAL_SLEEP_MS / queries)} ms for queries=${queries}`,
    };
  },
  // The wait (20 ms pg_sleep) dominates, as it does for most real queries.
  loadtest: { params: { queries: 1, sleep: 20 } },
  bound: {
    kind: 'wait',
    waits({ queries, sleep }, facts) {
      if (sleep <= 0) return null; // no wait to speak of: no simple bound
      const rounds = Math.ceil(queries / facts.workerDbPool);
      return {
        blocking: { ms: queries * sleep, basis: `${queries} quer(ies) of ${sleep} ms in sequence` },
        async: {
          ms: sleep,
          pool: {
            size: facts.dbPool,
            holdMs: queries * sleep,
            basis: `DB pool of ${facts.dbPool} × ${queries} quer(ies) of ${sleep} ms`,
          },
        },
        // Each worker runs its queries on its own pool of WORKER_DB_POOL connections.
        worker: { ms: rounds * sleep, basis: `${rounds} × ${sleep} ms` },
      };
    },
  },
  faultDrill: { dependency: 'database', params: { queries: 1, sleep: 5 } },
  blocking: ({ queries, sleep }, io) => ({ rows: ids(queries).map((id): WorldRow => io.findWorld(id, sleep)) }),
  async: queryConcurrently,
  inWorker: queryConcurrently,
});
