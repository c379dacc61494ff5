import { groupScenarios, sweepVerdicts, verdict } from '../analyse/analysis.ts';
import { matchPrevious } from '../analyse/compare.ts';
import { beyondBaseline } from '../analyse/bounds.ts';
import { compareContext } from '../analyse/compare-context.ts';
import { isTargetScenario, machineLimitReasons, notLooplabNote } from '../analyse/target-scenario.ts';
import { blameLines, scenarioBlame } from './blame-line.ts';
import { processLoopLine } from './process-line.ts';
import { columnsFor } from './columns.ts';
import { hasQueueRows } from './queue-report.ts';
import { modeKey } from '../analyse/scenario-key.ts';
import { refusalText, refusedShare } from '../analyse/refusals.ts';
import { fmtMs, fmtPercent } from './format.ts';
import type { Results } from '../types.ts';

export interface TableSection {
  title: string;
  rows: string[][];
  verdict: string;
  /** One line per mode with stall blame: what stalled the event loop in that scenario (blame-line.ts). */
  blame: string[];
  /** A cluster: one line per mode with each server process's event-loop figures (process-line.ts). */
  processes: string[];
  /**
   * One line per mode with failed requests (the statuses with counts and a sample body, refusals.ts),
   * and per mode above its CPU bound beyond the baseline's spread (bounds.ts).
   */
  refusals: string[];
}

export interface ReportTable {
  headers: string[];
  sections: TableSection[];
  /** One line per workload/mode measured at several levels: where it peaked. */
  sweeps: string[];
  /** With --compare: every setting that differs from the earlier run, shown above the table. */
  compareNotes: string[];
}

/**
 * The figures every report shows, one section per workload and load level, one row per mode.
 * With `previous`, each row also shows how throughput and p99 changed against that run.
 */
export function buildTable(results: Results, previous?: Results): ReportTable {
  const matches = matchPrevious(results, previous);
  const columns = columnsFor({
    queue: hasQueueRows(results),
    offload: results.scenarios.some((s) => s.scenario.mode === 'worker' || s.scenario.mode === 'queue'),
    compare: previous !== undefined,
  });
  const headers = columns.map((c) => c.header);
  const sections = groupScenarios(results).map((group) => {
    const rows = Object.values(group.byMode).map((r) => {
      const context = {
        group,
        repeats: results.options.repeat,
        before: matches.get(r),
        baseline: results.cpuBaseline,
      };
      return columns.map((c) => c.cell(r, context));
    });
    const first = Object.values(group.byMode)[0]?.scenario;
    const blame = Object.values(group.byMode).flatMap((r) => {
      const b = scenarioBlame(r);
      // A target's one row has no mode to name: its path says which scenario stalled.
      return b ? blameLines(isTargetScenario(r.scenario) ? r.scenario.path : modeKey(r.scenario), b) : [];
    });
    const processes = Object.values(group.byMode).flatMap((r) => processLoopLine(r) ?? []);
    const refusals = Object.values(group.byMode).flatMap((r) => {
      const text = refusalText(r);
      return text ? [`${modeKey(r.scenario)} failed ${fmtPercent(refusedShare(r))} of its requests: ${text}`] : [];
    });
    for (const r of Object.values(group.byMode)) {
      const beyond = beyondBaseline(r, results.cpuBaseline);
      if (beyond)
        refusals.push(
          `${modeKey(r.scenario)} served ${fmtPercent(r.efficiency)} of its bound (!): more than the single-thread ` +
            `baseline's own spread allows (${fmtMs(beyond.fastestMs)}–${fmtMs(beyond.slowestMs)} per request), so the ` +
            `bound does not hold for this run`,
        );
    }
    // A --target's section is named by its path, and there is nothing to judge it against.
    if (first && isTargetScenario(first))
      return {
        title: `${first.path} — ${group.level}`,
        rows,
        verdict: [
          notLooplabNote(results.options),
          ...Object.values(group.byMode).flatMap((r) => {
            const why = machineLimitReasons(r);
            return why.length > 0 ? [`* at ${group.level}: ${why.join(', ')}`] : [];
          }),
        ].join('; '),
        blame,
        processes,
        refusals,
      };
    const query = first?.path.split('?')[1];
    return {
      title: `${group.workload} — ${group.level}${query ? ` — ${query}` : ''}`,
      rows,
      verdict: verdict(group),
      blame,
      processes,
      refusals,
    };
  });
  return { headers, sections, sweeps: sweepVerdicts(results), compareNotes: compareContext(results, previous) };
}

/** Fixed-width text for the terminal. */
export function renderTerminal(table: ReportTable): string {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.sections.flatMap((s) => s.rows.map((r) => (r[i] ?? '').length))),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out: string[] = [];
  if (table.compareNotes.length > 0)
    out.push('', 'Compared with a run made differently:', ...table.compareNotes.map((n) => `  ${n}`));
  for (const section of table.sections) {
    out.push(
      '',
      section.title,
      line(table.headers),
      ...section.rows.map(line),
      `→ ${section.verdict}`,
      ...section.refusals.map((p) => `  ${p}`),
      ...section.processes.map((p) => `  ${p}`),
      ...section.blame.map((b) => `  ${b}`),
    );
  }
  if (table.sweeps.length > 0) out.push('', 'Sweeps:', ...table.sweeps.map((s) => `→ ${s}`));
  return out.join('\n');
}
