import { groupKey, levelLabel } from './scenario-key.ts';
import { differsBeyondNoise } from './stats.ts';
import type { ModeName, Results, ScenarioResult, WorkloadName } from './types.ts';
import { fmtMs, fmtRatio } from './format.ts';

/** Scenarios of one workload at one load level, by mode. */
export interface ComparableGroup {
  workload: WorkloadName;
  level: string;
  byMode: Partial<Record<ModeName, ScenarioResult>>;
}

export function groupScenarios(results: Results): ComparableGroup[] {
  const groups = new Map<string, ComparableGroup>();
  for (const result of results.scenarios) {
    const key = groupKey(result.scenario);
    const group = groups.get(key) ?? { workload: result.scenario.workload, level: levelLabel(result.scenario), byMode: {} };
    group.byMode[result.scenario.mode] = result;
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Throughput of a scenario relative to blocking mode at the same level, or null without one. */
export function speedupVsBlocking(group: ComparableGroup, mode: ModeName): number | null {
  const blocking = group.byMode.blocking?.summary.rps.median;
  const mine = group.byMode[mode]?.summary.rps.median;
  if (!blocking || mine === undefined) return null;
  return mine / blocking;
}

function noiseNote(a: ScenarioResult, b: ScenarioResult, repeats: number): string {
  const beyond = differsBeyondNoise(a.summary.rps, b.summary.rps, repeats);
  if (beyond === undefined) return '';
  return beyond ? ' (beyond run-to-run noise)' : ' (within run-to-run noise)';
}

/**
 * One plain sentence per workload and level: how much each offload serves against blocking, whether
 * the worker adds anything over async, and what blocking costs every other caller (`/health`).
 */
export function verdict(group: ComparableGroup, repeats: number): string {
  const { blocking, async: asyncMode, worker } = group.byMode;
  const parts: string[] = [];
  for (const [name, result] of [['async', asyncMode], ['worker', worker]] as const) {
    const ratio = speedupVsBlocking(group, name);
    if (result && blocking && ratio !== null) parts.push(`${name} serves ${fmtRatio(ratio)} blocking${noiseNote(result, blocking, repeats)}`);
  }
  if (asyncMode && worker) {
    const ratio = worker.summary.rps.median / asyncMode.summary.rps.median;
    const beyond = differsBeyondNoise(worker.summary.rps, asyncMode.summary.rps, repeats);
    if (ratio < 0.9 && beyond !== false) parts.push(`worker serves only ${fmtRatio(ratio)} async: offloading costs more than it gains${noiseNote(worker, asyncMode, repeats)}`);
    else if (ratio < 1.1 || beyond === false) parts.push('worker adds nothing over async');
    else parts.push(`worker serves ${fmtRatio(ratio)} async${noiseNote(worker, asyncMode, repeats)}`);
  }
  if (blocking) {
    const others = [asyncMode, worker].filter((r) => r !== undefined);
    const best = others.length > 0 ? Math.min(...others.map((r) => r.summary.healthP99.median)) : undefined;
    parts.push(
      `blocking stalls /health to p99 ${fmtMs(blocking.summary.healthP99.median)}` + (best !== undefined ? ` (otherwise ${fmtMs(best)})` : ''),
    );
  }
  const flagged = Object.values(group.byMode).filter((r) => r.generatorBound);
  if (flagged.length > 0) {
    parts.push(`the load generator used ~1 core in ${flagged.map((r) => r.scenario.mode).join(', ')}: those figures may be its limit, not the server's`);
  }
  const errors = Object.values(group.byMode).filter((r) => r.summary.errors + r.summary.non2xx > 0);
  if (errors.length > 0) parts.push(`errors in ${errors.map((r) => r.scenario.mode).join(', ')}`);
  return `${group.workload} (${group.level}): ${parts.length > 0 ? parts.join('; ') : 'no comparison possible with the modes run'}.`;
}

/**
 * For each workload and mode measured at several levels (a connections, rate or worker sweep): where
 * throughput peaked, and every other level relative to that peak — the seeds' "sweet spot" question.
 */
export function sweepVerdicts(results: Results): string[] {
  const series = new Map<string, ScenarioResult[]>();
  for (const r of results.scenarios) {
    const key = `${r.scenario.workload}/${r.scenario.mode}`;
    series.set(key, [...(series.get(key) ?? []), r]);
  }
  const lines: string[] = [];
  for (const [key, runs] of series) {
    if (runs.length < 2) continue;
    const peak = runs.reduce((best, r) => (r.summary.rps.median > best.summary.rps.median ? r : best));
    const others = runs
      .filter((r) => r !== peak)
      .map((r) => `${levelLabel(r.scenario)} ${fmtRatio(r.summary.rps.median / peak.summary.rps.median)}`);
    lines.push(`${key}: peaks at ${levelLabel(peak.scenario)} with ${peak.summary.rps.median.toFixed(1)} req/s; ${others.join(', ')} of that.`);
  }
  return lines;
}
