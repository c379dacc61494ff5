import { groupScenarios, speedupVsBlocking, sweepVerdicts, verdict } from '../analyse/analysis.ts';
import { matchPrevious } from '../analyse/compare.ts';
import { beyondBaseline } from '../analyse/bounds.ts';
import { compareContext } from '../analyse/compare-context.ts';
import { compareRuns } from '../analyse/stats.ts';
import { isTargetScenario, NOT_LOOPLAB_NOTE, TARGET_WORKLOAD } from '../analyse/target-scenario.ts';
import { fmtChange, fmtMs, fmtPercent, fmtRate, fmtRatio } from './format.ts';
import { blameLines, scenarioBlame } from './blame-line.ts';
import { processLoopLine } from './process-line.ts';
import { hasQueueRows, QUEUE_HEADERS, queueCells } from './queue-report.ts';
import { modeKey } from '../analyse/scenario-key.ts';
import { isMostlyRefused, refusalText, refusedShare } from '../analyse/refusals.ts';
import type { Results, ScenarioResult, Spread } from '../types.ts';

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

function rpsCell(s: Spread, repeats: number): string {
  if (repeats < 2) return fmtRate(s.median);
  return `${fmtRate(s.median)} (${fmtRate(s.min)}–${fmtRate(s.max)})`;
}

/** The change against an earlier run, marked `~` when the runs cannot tell it from noise. */
function changeCell(
  now: ScenarioResult,
  before: ScenarioResult,
  pick: (r: ScenarioResult) => Spread | null,
  perRun: (r: ScenarioResult['runs'][number]) => number | null,
): string {
  const a = pick(now);
  const b = pick(before);
  if (!a || !b) return '–';
  const values = (r: ScenarioResult) => r.runs.map(perRun).filter((v): v is number => v !== null);
  const noise = compareRuns(values(now), values(before));
  return `${fmtChange(a.median, b.median)}${noise.kind === 'differs' ? '' : ' ~'}`;
}

function errorCell(r: ScenarioResult): string {
  const parts = [r.summary.errors + r.summary.timeouts, r.summary.non2xx, r.summary.dropped + r.summary.abandoned];
  return parts.every((n) => n === 0) ? '0' : parts.join('/');
}

/** A latency cell: `–` when the sample cannot support it, `≥` when unmeasured requests make it a lower bound. */
function latencyCell(r: ScenarioResult, s: Spread | null): string {
  if (!s) return '–';
  return `${r.summary.latencyIsLowerBound ? '≥ ' : ''}${fmtMs(s.median)}`;
}

/** /health p99, or its maximum (said so) when the run had too few probes to support a p99. */
function healthCell(r: ScenarioResult): string {
  if (r.summary.healthP99) return fmtMs(r.summary.healthP99.median);
  return r.summary.healthMax ? `max ${fmtMs(r.summary.healthMax.median)}` : '–';
}

/** True when nothing came back at all: every figure would be an empty 0. */
const noAnswers = (r: ScenarioResult) => r.summary.ok + r.summary.non2xx === 0;

/**
 * The figures every report shows, one section per workload and load level, one row per mode.
 * With `previous`, each row also shows how throughput and p99 changed against that run.
 */
export function buildTable(results: Results, previous?: Results): ReportTable {
  const repeats = results.options.repeat;
  const matches = matchPrevious(results, previous);
  // Queue mode's split (wait, processing) sits beside the latencies it is part of, in runs that have it.
  const queueColumns = hasQueueRows(results);
  const headers = [
    'mode',
    'req/s',
    'failed/s',
    'n',
    'p50',
    'p99',
    ...(queueColumns ? QUEUE_HEADERS : []),
    'err/non2xx/drop',
    '/health p99',
    'loop delay p99',
    'loop max',
    'loop busy',
    'of bound',
    'vs blocking',
  ];
  if (previous) headers.push('Δ req/s', 'Δ p99');
  const sections = groupScenarios(results).map((group) => {
    const rows = Object.values(group.byMode).map((r) => {
      const row = [
        modeKey(r.scenario) + (r.generatorBound || r.generatorLagged || r.machineSaturated ? ' *' : ''),
        noAnswers(r) ? 'no answers' : rpsCell(r.summary.rps, repeats),
        fmtRate(r.summary.failedPerSecond.median),
        String(r.summary.n),
        latencyCell(r, r.summary.p50),
        latencyCell(r, r.summary.p99),
        ...(queueColumns ? queueCells(r) : []),
        errorCell(r),
        healthCell(r),
        fmtMs(r.summary.eventLoopDelayP99Ms?.median),
        fmtMs(r.summary.eventLoopDelayMaxMs?.median),
        fmtPercent(r.summary.eventLoopUtilization?.median),
        fmtPercent(r.efficiency) + (beyondBaseline(r, results.cpuBaseline) ? ' !' : ''),
        isMostlyRefused(r) ? 'refused' : fmtRatio(speedupVsBlocking(group, modeKey(r.scenario))),
      ];
      if (previous) {
        const old = matches.get(r);
        row.push(
          old
            ? changeCell(
                r,
                old,
                (x) => x.summary.rps,
                (run) => run.rps,
              )
            : 'new',
          old
            ? changeCell(
                r,
                old,
                (x) => x.summary.p99,
                (run) => run.latency.p99,
              )
            : 'new',
        );
      }
      return row;
    });
    const first = Object.values(group.byMode)[0]?.scenario;
    const blame = Object.values(group.byMode).flatMap((r) => {
      const b = scenarioBlame(r);
      return b ? blameLines(modeKey(r.scenario), b) : [];
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
          `${modeKey(r.scenario)} served ${fmtPercent(r.efficiency)} of its bound (!): more than the single-thread baseline's own spread allows (${fmtMs(beyond.fastestMs)}–${fmtMs(beyond.slowestMs)} per request), so the bound does not hold for this run`,
        );
    }
    // A --target's section is named by its path, and there is nothing to judge it against.
    if (first && isTargetScenario(first))
      return {
        title: `${TARGET_WORKLOAD} ${first.path} — ${group.level}`,
        rows,
        verdict: NOT_LOOPLAB_NOTE,
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
