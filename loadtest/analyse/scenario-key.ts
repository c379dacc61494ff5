import type { Scenario } from '../types.ts';

/** The load level of a scenario, for grouping rows and matching scenarios across runs. */
export function levelLabel(s: Scenario): string {
  const level = s.rate !== undefined ? `${s.rate}/s` : `c=${s.connections}`;
  return s.workers !== undefined ? `${level} w=${s.workers}` : level;
}

/** Identifies a scenario across results files: workload, mode, level and request. */
export function scenarioKey(s: Scenario): string {
  return `${s.workload}|${s.mode}|${levelLabel(s)}|${s.path}`;
}

/** Identifies the comparable group a scenario belongs to: everything but the mode. */
export function groupKey(s: Scenario): string {
  return `${s.workload}|${levelLabel(s)}`;
}
