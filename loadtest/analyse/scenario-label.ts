import { modeKey } from './scenario-key.ts';
import type { Scenario } from '../types.ts';

/** `fetch/async at 50 req/s` / `db/worker at 20 connections, 4 workers`: how the CLI names a scenario. */
export function scenarioLabel(
  s: Pick<Scenario, 'workload' | 'mode' | 'rate' | 'connections' | 'workers' | 'processes' | 'queueBackend'>,
): string {
  const level = s.rate !== undefined ? `${s.rate} req/s` : `${s.connections} connections`;
  const processes = s.processes !== undefined ? `, ${s.processes} process${s.processes === 1 ? '' : 'es'}` : '';
  return `${s.workload}/${modeKey(s)} at ${level}${processes}${s.workers !== undefined ? `, ${s.workers} workers` : ''}`;
}
