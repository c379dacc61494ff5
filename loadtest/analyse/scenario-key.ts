import type { Scenario } from '../types.ts';

/** The load level of a scenario, for grouping rows and matching scenarios across runs. */
export function levelLabel(s: Scenario): string {
  const level = s.rate !== undefined ? `${s.rate}/s` : `c=${s.connections}`;
  const withProcesses = s.processes !== undefined ? `${level} p=${s.processes}` : level;
  return s.workers !== undefined ? `${withProcesses} w=${s.workers}` : withProcesses;
}

/** Identifies a scenario across results files: workload, mode, level and request. */
export function scenarioKey(s: Scenario): string {
  return `${s.workload}|${s.mode}|${levelLabel(s)}|${s.path}`;
}

/** Identifies the comparable group a scenario belongs to: everything but the mode. */
export function groupKey(s: Scenario): string {
  return `${s.workload}|${levelLabel(s)}`;
}
