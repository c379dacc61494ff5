import type { Scenario } from '../types.ts';
import { TARGET_MODE } from './target-scenario.ts';

/** The load level of a scenario, for grouping rows and matching scenarios across runs. */
export function levelLabel(s: Scenario): string {
  const level = s.rate !== undefined ? `${s.rate}/s` : `c=${s.connections}`;
  const withProcesses = s.processes !== undefined ? `${level} p=${s.processes}` : level;
  const withWorkers = s.workers !== undefined ? `${withProcesses} w=${s.workers}` : withProcesses;
  return s.workerConcurrency !== undefined ? `${withWorkers} c=${s.workerConcurrency}` : withWorkers;
}

/**
 * A scenario's row name within its workload and level: the mode, and with `--queue-backends` the
 * backend too (`queue-redis`), so two backends' queue rows stand side by side and a threshold can name
 * either (`hash.queue-redis.rps`).
 */
export function modeKey(s: Pick<Scenario, 'mode' | 'queueBackend'>): string {
  return s.queueBackend !== undefined ? `${s.mode}-${s.queueBackend}` : s.mode;
}

/** Identifies a scenario across results files: workload, mode (and queue backend), level and request. */
export function scenarioKey(s: Scenario): string {
  return `${s.workload}|${modeKey(s)}|${levelLabel(s)}|${s.path}`;
}

/** Identifies the comparable group a scenario belongs to: everything but the mode. */
export function groupKey(s: Scenario): string {
  return `${s.workload}|${levelLabel(s)}`;
}

/** `fetch/async at 50 req/s` / `db/worker at 20 connections, 4 workers`: how the CLI names a scenario. */
export function scenarioLabel(
  s: Pick<
    Scenario,
    'workload' | 'mode' | 'rate' | 'connections' | 'workers' | 'processes' | 'queueBackend' | 'workerConcurrency'
  >,
): string {
  const level = s.rate !== undefined ? `${s.rate} req/s` : `${s.connections} connections`;
  const processes = s.processes !== undefined ? `, ${s.processes} process${s.processes === 1 ? '' : 'es'}` : '';
  // A --target scenario is named by its path alone (its mode is `—`).
  const name = s.mode === TARGET_MODE ? s.workload : `${s.workload}/${modeKey(s)}`;
  const tasks = s.workerConcurrency !== undefined ? `, ${s.workerConcurrency} tasks per worker` : '';
  return `${name} at ${level}${processes}${s.workers !== undefined ? `, ${s.workers} workers` : ''}${tasks}`;
}
