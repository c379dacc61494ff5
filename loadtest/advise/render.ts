/** `looplab advise`'s answer as the terminal shows it: the paragraph, the evidence table, why each other lost. */
import { fmtMs, fmtPercent, fmtRate } from '../report/format.ts';
import type { Advice } from './advice.ts';

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

export function renderAdvice(advice: Advice): string {
  const cells = [COLUMNS.map(([h]) => h), ...advice.table.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const table = cells.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const lines = [advice.paragraph, '', ...table, ''];
  for (const r of advice.table) if (r.standing.kind !== 'recommended') lines.push(`  ${r.label}: ${r.why}`);
  if (advice.knee)
    lines.push(
      '',
      `pool-size curve: ${advice.knee.points.map((pt) => `${pt.x}→${fmtRate(pt.rps)}/s p99 ${fmtMs(pt.p99Ms ?? undefined)}`).join(', ')}; knee at ${advice.knee.at.x}`,
    );
  const o = advice.offload;
  if (o)
    lines.push(
      `offload cost per call: ${Math.round(o.hopUs)} µs of CPU for the hop (worker ×${o.offloadedWorkers} ${Math.round(o.offloadedUs)} µs against ${o.inlineMode} ${Math.round(o.inlineUs)} µs inline; the work itself ${Math.round(o.workUs)} µs)${o.costsMoreThanItSaves ? ': the hop costs more than the work' : ''}`,
    );
  if (advice.cut.length > 0) lines.push(`cut for the budget (not measured): ${advice.cut.join(', ')}`);
  return lines.join('\n');
}
