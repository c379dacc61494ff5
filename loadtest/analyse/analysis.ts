import { groupKey, levelLabel, modeKey } from './scenario-key.ts';
import { queueParts } from './queue-verdict.ts';
import { compareRuns } from './stats.ts';
import type { ModeName, Results, ScenarioResult, WorkloadName } from '../types.ts';
import { fmtMs, fmtPercent, fmtRate, fmtRatio } from '../report/format.ts';
import { isMostlyRefused, refusalText, refusedShare } from './refusals.ts';

/** Scenarios of one workload at one load level, by mode. */
export interface ComparableGroup {
  workload: WorkloadName;
  level: string;
  /** Indexing it gives `undefined` for a mode that did not run (noUncheckedIndexedAccess). */
  byMode: Record<ModeName, ScenarioResult>;
}

export function groupScenarios(results: Results): ComparableGroup[] {
  const groups = new Map<string, ComparableGroup>();
  for (const result of results.scenarios) {
    const key = groupKey(result.scenario);
    const group = groups.get(key) ?? {
      workload: result.scenario.workload,
      level: levelLabel(result.scenario),
      byMode: {},
    };
    group.byMode[modeKey(result.scenario)] = result;
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

/** Whether two scenarios' throughput differs beyond run-to-run noise, in words; nothing for single runs (said once per verdict). */
export function noiseNote(a: ScenarioResult, b: ScenarioResult): string {
  const verdict = compareRuns(
    a.runs.map((r) => r.rps),
    b.runs.map((r) => r.rps),
  );
  const runs = `${Math.min(a.runs.length, b.runs.length)} runs each`;
  if (verdict.kind === 'one-run') return '';
  if (verdict.kind === 'differs')
    return ` (beyond run-to-run noise: Mann–Whitney p = ${verdict.p.toFixed(3)}, ${runs})`;
  return (
    ` (inconclusive: Mann–Whitney p = ${verdict.p.toFixed(2)} at ` +
    `${runs}${a.runs.length < 4 || b.runs.length < 4 ? '; 4 runs each are needed to show a difference at p < 0.05' : ''})`
  );
}

/**
 * One plain sentence per workload and level: how much each offload serves against blocking, whether
 * the worker adds anything over async, and what blocking costs every other caller (`/health`).
 * Throughput is 2xx answers only, so a mode that refuses fast never looks like it serves more.
 */
export function verdict(group: ComparableGroup): string {
  const { blocking, async: asyncMode, worker } = group.byMode;
  // One queue row, or one per backend with --queue-backends (queue-postgres, queue-redis).
  const queues = Object.entries(group.byMode).filter(([, r]) => r.scenario.mode === 'queue');
  const parts: string[] = [];
  const silent = Object.values(group.byMode).filter((r) => r.summary.ok === 0);
  for (const [name, result] of [['async', asyncMode], ['worker', worker], ...queues] as const) {
    const ratio = speedupVsBlocking(group, name);
    if (result && isMostlyRefused(result))
      parts.push(`${name} not ranked: ${fmtPercent(refusedShare(result))} of its requests failed (see below)`);
    else if (blocking && isMostlyRefused(blocking)) continue;
    else if (result && blocking && ratio !== null)
      parts.push(`${name} serves ${fmtRatio(ratio)} blocking${noiseNote(result, blocking)}`);
  }
  if (asyncMode && worker && asyncMode.summary.ok > 0) {
    const ratio = worker.summary.rps.median / asyncMode.summary.rps.median;
    const noise = compareRuns(
      worker.runs.map((r) => r.rps),
      asyncMode.runs.map((r) => r.rps),
    );
    if (noise.kind === 'inconclusive')
      parts.push(`worker against async: ${fmtRatio(ratio)}${noiseNote(worker, asyncMode)}`);
    else if (ratio < 0.9)
      parts.push(
        `worker serves only ${fmtRatio(ratio)} async: offloading costs more than it gains${noiseNote(worker, asyncMode)}`,
      );
    else if (ratio <= 1.1)
      parts.push(`worker serves about what async serves (${fmtRatio(ratio)})${noiseNote(worker, asyncMode)}`);
    else parts.push(`worker serves ${fmtRatio(ratio)} async${noiseNote(worker, asyncMode)}`);
  }
  for (const [name, queue] of queues) {
    if (!worker || worker.summary.ok === 0) break;
    // The same worker form on both sides: the difference is what the trip through BullMQ costs or adds.
    const ratio = queue.summary.rps.median / worker.summary.rps.median;
    parts.push(
      `${name} serves ${fmtRatio(ratio)} worker (the same worker form, in queue worker processes)${noiseNote(queue, worker)}`,
    );
  }
  parts.push(...queueParts(queues, noiseNote));
  if (blocking) {
    // The p99 where the probes support one, else the worst probe, named as such.
    const health = (r: ScenarioResult | undefined) =>
      r?.summary.healthP99
        ? { v: r.summary.healthP99.median, what: 'p99' }
        : r?.summary.healthMax
          ? { v: r.summary.healthMax.median, what: 'max' }
          : undefined;
    const stalled = health(blocking);
    const others = [health(asyncMode), health(worker), ...queues.map(([, q]) => health(q))]
      .filter((h) => h !== undefined && h.what === stalled?.what)
      .map((h) => h?.v ?? 0);
    if (stalled) {
      parts.push(
        `blocking stalls /health to ${stalled.what} ${fmtMs(stalled.v)}` +
          (others.length > 0 ? ` (otherwise ${fmtMs(Math.min(...others))})` : ''),
      );
    }
  }
  const flagged = Object.values(group.byMode).filter((r) => r.generatorBound);
  if (flagged.length > 0) {
    parts.push(
      `the load generator used ~1 core in ${flagged.map((r) => modeKey(r.scenario)).join(', ')}: those figures may be its limit, not the server's`,
    );
  }
  const lagged = Object.values(group.byMode).filter((r) => r.generatorLagged);
  if (lagged.length > 0)
    parts.push(
      `the generator sent late in ${lagged.map((r) => modeKey(r.scenario)).join(', ')} (send-lag p99 above 2 ms and ` +
        `10% of p50): part of those latencies is its own`,
    );
  const saturated = Object.values(group.byMode).filter((r) => r.machineSaturated);
  if (saturated.length > 0)
    parts.push(
      `the machine's CPU was ≥ 90% busy in ${saturated.map((r) => modeKey(r.scenario)).join(', ')}: CPU bounds assume free cores`,
    );
  if (Object.values(group.byMode).some((r) => r.runs.length < 2))
    parts.push(
      'one run per scenario, so run-to-run noise is unknown (--repeat 4 or more can tell a difference from it)',
    );
  if (silent.length > 0) parts.push(`no answers in ${silent.map((r) => modeKey(r.scenario)).join(', ')}`);
  const errors = Object.values(group.byMode).filter(
    (r) => r.summary.errors + r.summary.non2xx + r.summary.timeouts > 0,
  );
  if (errors.length > 0) {
    // Failures' latency, shown apart: a fast refusal and a slow timeout tell different stories.
    const failedLatency = (r: ScenarioResult) => {
      const s = r.summary.failedP99 ?? r.summary.failedMax;
      return s ? `, failures' ${r.summary.failedP99 ? 'p99' : 'max'} ${fmtMs(s.median)}` : '';
    };
    parts.push(
      `failures in ` +
        `${errors.map((r) => `${modeKey(r.scenario)} (${fmtRate(r.summary.failedPerSecond.median)}/s${failedLatency(r)})`).join(', ')}, ` +
        `not counted as throughput`,
    );
  }
  return `${group.workload} (${group.level}): ${parts.length > 0 ? parts.join('; ') : 'no comparison possible with the modes run'}.`;
}

/**
 * For each workload and mode measured at several levels (a connections, rate or worker sweep): where
 * throughput peaked, and every other level relative to that peak — the seeds' "sweet spot" question.
 * A level that was mostly refused (refusals.ts) is never ranked: its throughput is what got through
 * a refusal, not a speed; the line says what refused it instead. The pick is set against the next
 * best level with the Mann–Whitney test, as the mode verdicts are, when the runs allow it.
 */
export function sweepVerdicts(results: Results): string[] {
  const series = new Map<string, ScenarioResult[]>();
  for (const r of results.scenarios) {
    const key = `${r.scenario.workload}/${modeKey(r.scenario)}`;
    series.set(key, [...(series.get(key) ?? []), r]);
  }
  const lines: string[] = [];
  for (const [key, levels] of series) {
    if (levels.length < 2) continue;
    const refused = levels
      .filter(isMostlyRefused)
      .map(
        (r) =>
          `${levelLabel(r.scenario)} not ranked: ${fmtPercent(refusedShare(r))} of its requests failed — ${refusalText(r)}`,
      );
    const ranked = levels.filter((r) => !isMostlyRefused(r));
    if (ranked.length === 0) {
      lines.push(`${key}: every level was mostly refused; ${refused.join('; ')}.`);
      continue;
    }
    const byRps = [...ranked].sort((a, b) => b.summary.rps.median - a.summary.rps.median);
    const peak = byRps[0] as ScenarioResult;
    const next = byRps[1];
    const others = ranked
      .filter((r) => r !== peak)
      .map((r) => `${levelLabel(r.scenario)} ${fmtRatio(r.summary.rps.median / peak.summary.rps.median)}`);
    const noise = next ? noiseNote(peak, next).replace(/^ \(/, ` (against ${levelLabel(next.scenario)}: `) : '';
    lines.push(
      `${key}: peaks at ${levelLabel(peak.scenario)} with ${peak.summary.rps.median.toFixed(1)} req/s${noise}` +
        (others.length > 0 ? `; ${others.join(', ')} of that` : '') +
        (refused.length > 0 ? `; ${refused.join('; ')}` : '') +
        '.',
    );
  }
  return lines;
}
