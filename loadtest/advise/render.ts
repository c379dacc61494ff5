/**
 * `looplab advise`'s answer as a report lead (report-lead.ts): the paragraph, the evidence table, why
 * each other candidate stands where it does, the knee, the offload cost and the cuts. The terminal,
 * report.md and report.html all render this one value, so each column and line is defined here once.
 */
import { fmtMs, fmtPercent, fmtRate } from '../report/format.ts';
import { leadText, type ReportLead } from '../report/report-lead.ts';
import type { Advice } from './advice.ts';
import type { Knee } from './knee.ts';
import type { MoveOffFunction } from './move-off.ts';
import type { OffloadCost } from './offload.ts';
import type { TargetAdvice } from './target-advice.ts';

/** The evidence table's columns, once: header and how each row fills it. */
const COLUMNS: ReadonlyArray<readonly [string, (r: Advice['table'][number]) => string]> = [
  ['candidate', (r) => r.label],
  ['runs', (r) => String(r.runs)],
  ['req/s (range)', (r) => `${fmtRate(r.rps.median)} (${fmtRate(r.rps.min)}–${fmtRate(r.rps.max)})`],
  ['p99', (r) => fmtMs(r.p99Ms ?? undefined)],
  ['/health p99', (r) => fmtMs(r.healthP99Ms ?? undefined)],
  ['loop busy', (r) => fmtPercent(r.loopBusy)],
  ['CPU/req', (r) => fmtMs(r.cpuMsPerRequest ?? undefined)],
  ['RSS', (r) => (r.rssMb === null ? '–' : `${r.rssMb} MiB`)],
  ['refused', (r) => fmtPercent(r.refusedShare)],
];

/** A knee's curve in one line: each level's throughput and p99, then where the knee is. */
function curveLine(name: string, knee: Knee): string {
  const points = knee.points.map((pt) => `${pt.x}→${fmtRate(pt.rps)}/s p99 ${fmtMs(pt.p99Ms ?? undefined)}`);
  return `${name}: ${points.join(', ')}; knee at ${knee.at.x}`;
}

/** The offload cost in one line; a hop the paired groups disagree on is said to be lost in the noise, not quoted. */
function offloadLine(o: OffloadCost): string {
  const us = (v: number) => Math.round(v);
  const range = `${us(o.hopRangeUs.min)} to ${us(o.hopRangeUs.max)} µs across the paired groups`;
  const hop = o.hopWithinNoise
    ? `lost in the noise beside the work: ${us(o.hopUs)} µs of CPU for the hop by medians, ${range}`
    : `${us(o.hopUs)} µs of CPU for the hop (${range})`;
  const basis =
    `worker ×${o.offloadedWorkers} ${us(o.offloadedUs)} µs against ${o.inlineMode} ${us(o.inlineUs)} µs inline; ` +
    `the work itself ${us(o.workUs)} µs`;
  return `offload cost per call: ${hop} (${basis})${o.costsMoreThanItSaves ? ': the hop costs more than the work' : ''}`;
}

export function adviceLead(advice: Advice): ReportLead {
  const notes = advice.table.filter((r) => r.standing.kind !== 'recommended').map((r) => `${r.label}: ${r.why}`);
  if (advice.knee) notes.push(curveLine('pool-size curve', advice.knee));
  const o = advice.offload;
  if (o) notes.push(offloadLine(o));
  if (advice.cut.length > 0) notes.push(`cut for the budget (not measured): ${advice.cut.join(', ')}`);
  return {
    title: `Advice for ${advice.workload}`,
    paragraph: advice.paragraph,
    tables: [
      {
        caption: 'The evidence (medians over each candidate\u2019s runs)',
        headers: COLUMNS.map(([h]) => h),
        rows: advice.table.map((r) => COLUMNS.map(([, cell]) => cell(r))),
      },
    ],
    notes,
    curve: advice.knee
      ? {
          title: 'Pool-size curve: throughput by worker threads',
          xLabel: 'worker threads',
          points: advice.knee.points,
          markX: advice.knee.at.x,
        }
      : null,
  };
}

/** The answer as the terminal prints it. */
export function renderAdvice(advice: Advice): string {
  return leadText(adviceLead(advice));
}

/** The functions-to-move table's columns, once. */
const MOVE_OFF_COLUMNS: ReadonlyArray<readonly [string, (f: MoveOffFunction) => string]> = [
  ['function', (f) => f.frame],
  ['file:line', (f) => `${f.file}${f.line === null ? '' : `:${f.line}`}`],
  ['calling', (f) => f.calling ?? '–'],
  ['stalled', (f) => fmtMs(f.ms)],
  ['share of stalled time', (f) => fmtPercent(f.share)],
];

/** The answer for a `--target` sweep: the paragraph, the functions to move off the loop, the in-flight curve. */
export function targetLead(advice: TargetAdvice): ReportLead {
  const functions = advice.moveOff?.functions ?? [];
  return {
    title: `Advice for ${advice.target}`,
    paragraph: advice.paragraph,
    tables:
      functions.length > 0
        ? [
            {
              caption: `Functions to move off the event loop (stall blame from ${advice.moveOff?.blameUrl}, over the whole sweep)`,
              headers: MOVE_OFF_COLUMNS.map(([h]) => h),
              rows: functions.map((f) => MOVE_OFF_COLUMNS.map(([, cell]) => cell(f))),
            },
          ]
        : [],
    notes: [curveLine('in-flight curve', advice.knee)],
    curve: {
      title: 'Concurrency curve: throughput by requests in flight',
      xLabel: 'requests in flight',
      points: advice.knee.points,
      markX: advice.knee.at.x,
    },
  };
}
