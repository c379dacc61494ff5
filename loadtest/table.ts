import { groupScenarios, speedupVsBlocking, sweepVerdicts, verdict } from './analysis.ts';
import { matchPrevious } from './compare.ts';
import { differsBeyondNoise } from './stats.ts';
import { fmtChange, fmtMs, fmtPercent, fmtRate, fmtRatio } from './format.ts';
import type { Results, ScenarioResult, Spread } from './types.ts';

export interface TableSection {
  title: string;
  rows: string[][];
  verdict: string;
}

export interface ReportTable {
  headers: string[];
  sections: TableSection[];
  /** One line per workload/mode measured at several levels: where it peaked. */
  sweeps: string[];
}

function rpsCell(s: Spread, repeats: number): string {
  if (repeats < 2) return fmtRate(s.median);
  return `${fmtRate(s.median)} (${fmtRate(s.min)}–${fmtRate(s.max)})`;
}

/** The change against an earlier run, marked `~` when both were repeated and their ranges overlap. */
function changeCell(now: Spread, before: Spread, runsNow: number, runsBefore: number): string {
  const beyond = differsBeyondNoise(now, before, Math.min(runsNow, runsBefore));
  return `${fmtChange(now.median, before.median)}${beyond === false ? ' ~' : ''}`;
}

function errorCell(r: ScenarioResult): string {
  const parts = [r.summary.errors, r.summary.non2xx, r.summary.dropped];
  return parts.every((n) => n === 0) ? '0' : `${r.summary.errors}/${r.summary.non2xx}/${r.summary.dropped}`;
}

/**
 * The figures every report shows, one section per workload and load level, one row per mode.
 * With `previous`, each row also shows how throughput and p99 changed against that run.
 */
export function buildTable(results: Results, previous?: Results): ReportTable {
  const repeats = results.options.repeat;
  const matches = matchPrevious(results, previous);
  const headers = ['mode', 'req/s', 'p50', 'p99', 'err/non2xx/drop', '/health p99', 'loop delay p99', 'loop busy', 'of bound', 'vs blocking'];
  if (previous) headers.push('Δ req/s', 'Δ p99');
  const sections = groupScenarios(results).map((group) => {
    const rows = Object.values(group.byMode).map((r) => {
      const row = [
        r.scenario.mode + (r.generatorBound ? ' *' : ''),
        rpsCell(r.summary.rps, repeats),
        fmtMs(r.summary.p50.median),
        fmtMs(r.summary.p99.median),
        errorCell(r),
        fmtMs(r.summary.healthP99.median),
        fmtMs(r.summary.eventLoopDelayP99Ms?.median),
        fmtPercent(r.summary.eventLoopUtilization?.median),
        fmtPercent(r.efficiency),
        fmtRatio(speedupVsBlocking(group, r.scenario.mode)),
      ];
      if (previous) {
        const old = matches.get(r);
        row.push(old ? changeCell(r.summary.rps, old.summary.rps, repeats, old.runs.length) : 'new', old ? changeCell(r.summary.p99, old.summary.p99, repeats, old.runs.length) : 'new');
      }
      return row;
    });
    const query = Object.values(group.byMode)[0]?.scenario.path.split('?')[1];
    return { title: `${group.workload} — ${group.level}${query ? ` — ${query}` : ''}`, rows, verdict: verdict(group, repeats) };
  });
  return { headers, sections, sweeps: sweepVerdicts(results) };
}

/** Fixed-width text for the terminal. */
export function renderTerminal(table: ReportTable): string {
  const widths = table.headers.map((h, i) => Math.max(h.length, ...table.sections.flatMap((s) => s.rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out: string[] = [];
  for (const section of table.sections) {
    out.push('', section.title, line(table.headers), ...section.rows.map(line), `→ ${section.verdict}`);
  }
  if (table.sweeps.length > 0) out.push('', 'Sweeps:', ...table.sweeps.map((s) => `→ ${s}`));
  return out.join('\n');
}
