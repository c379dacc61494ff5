/** What the reports show of queue mode: its table columns, and one line on how the run's queue was set up. */
import { fmtMs } from './format.ts';
import type { Results, ScenarioResult } from '../types.ts';

/** Whether the run has queue rows, and so the queue columns. */
export const hasQueueRows = (results: Results) => results.scenarios.some((r) => r.scenario.mode === 'queue');

/**
 * A row's queue cell (jobs counted, mean wait for a queue worker, mean time running in one): "—" for
 * the other modes (they have no queue), "–" for a queue row with nothing measured (no job counted, or
 * no `/metrics`), as for any figure a run could not support.
 */
export function queueCell(r: ScenarioResult, figure: 'jobs' | 'wait' | 'run'): string {
  if (r.scenario.mode !== 'queue') return '—';
  const q = r.summary.queue;
  if (!q) return figure === 'jobs' && r.runs.some((run) => run.queue) ? '0' : '–';
  if (figure === 'jobs') return String(q.jobs);
  return fmtMs((figure === 'wait' ? q.waitMs : q.processingMs).median);
}

/** The run's queue set-up, in one line, when it has queue rows: backend(s), local workers, bound. */
export function queueRunLine(results: Results): string[] {
  if (!hasQueueRows(results)) return [];
  const q = results.environment.server?.queue;
  const shape = q
    ? `${q.workers} local queue worker process(es) × ${q.concurrency} job(s) at a time, at most ${q.max} jobs in the queue per server`
    : 'queue set-up unknown';
  const backends = results.options.queueBackends ?? [];
  if (backends.length > 0) {
    return [
      `Queue mode (BullMQ): the queue scenarios ran once per backend — ${backends.join(', ')} — each on a server of ` +
        `its own (Redis: a redis-server the harness started on a free port, or REDIS_URL); ${shape}.`,
    ];
  }
  return [`Queue mode (BullMQ) on ${q?.backend ?? 'an unknown backend'}; ${shape}.`];
}
