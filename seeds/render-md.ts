import { describeRun } from './describe.ts';
import type { SeedsResults } from './results.ts';
import { buildSweepTable, buildTables, COLUMNS } from './table.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');
const mdTable = (headers: readonly string[], rows: readonly (readonly string[])[]) =>
  [
    `| ${headers.map(cell).join(' | ')} |`,
    `|${headers.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');

/** report.md: the same tables as the terminal, for a lab note. */
export function renderMarkdown(results: SeedsResults): string {
  const parts = ["# looplab seeds: the Python tutorials' experiments in Node", '', `\`${results.command}\``, ''];
  parts.push(...describeRun(results).map((l) => `${l}\n`));
  for (const table of buildTables(results)) {
    parts.push(`## ${table.heading}`, '', `${table.source}. ${table.batch}`, '', mdTable(COLUMNS, table.rows), '');
    table.notes.forEach((n, i) => parts.push(`[${i + 1}] ${n}  `));
    parts.push('', `**Lesson.** ${table.lesson}`, '');
  }
  if (results.sweep) {
    const sweep = buildSweepTable(results.sweep);
    parts.push(
      '## Pool-size sweep',
      '',
      `Real Python's 160 pages at ${results.sweep.latencyMs} ms a page; the text found 5–10 threads fastest. Times include the pool's start-up.`,
      '',
      mdTable(sweep.headers, sweep.rows),
      '',
    );
  }
  return `${parts.join('\n')}\n`;
}
