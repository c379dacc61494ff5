import { describeRun } from './describe.ts';
import type { SeedsResults } from './results.ts';
import { buildSweepTable, buildTables, COLUMNS } from './table.ts';

/** Pads columns to a common width: the first left-aligned, the rest right-aligned. */
export function alignColumns(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}

/** The terminal report: every experiment's table, its notes and lesson, then the sweep. */
export function renderText(results: SeedsResults): string {
  const out: string[] = [...describeRun(results), ''];
  for (const table of buildTables(results)) {
    out.push(`■ ${table.heading} — ${table.source}`, `  ${table.batch}`, '');
    out.push(...alignColumns(COLUMNS, table.rows).map((l) => `  ${l}`), '');
    table.notes.forEach((n, i) => out.push(`  [${i + 1}] ${n}`));
    out.push(`  Lesson: ${table.lesson}`, '');
  }
  if (results.sweep) {
    const sweep = buildSweepTable(results.sweep);
    out.push(
      `■ Pool-size sweep — Real Python's 160 pages at ${results.sweep.latencyMs} ms (the text: 5–10 threads was fastest)`,
      '',
    );
    out.push(...alignColumns(sweep.headers, sweep.rows).map((l) => `  ${l}`), '');
  }
  return `${out.join('\n')}\n`;
}
