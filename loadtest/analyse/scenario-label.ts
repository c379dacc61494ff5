import type { Scenario } from '../types.ts';

/** `fetch/async at 50 req/s` / `db/worker at 20 connections, 4 workers`: how the CLI names a scenario. */
export function scenarioLabel(s: Pick<Scenario, 'workload' | 'mode' | 'rate' | 'connections' | 'workers'>): string {
  const level = s.rate !== undefined ? `${s.rate} req/s` : `${s.connections} connections`;
  return `${s.workload}/${s.mode} at ${level}${s.workers !== undefined ? `, ${s.workers} workers` : ''}`;
}
