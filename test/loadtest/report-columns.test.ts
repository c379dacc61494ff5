import { beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../lib/html.ts';
import { COLUMNS, columnNotes } from '../../loadtest/report/columns.ts';
import { renderHtml } from '../../loadtest/report/report-html.ts';
import { renderMarkdown } from '../../loadtest/report/report-md.ts';
import { buildTable, type ReportTable, renderTerminal } from '../../loadtest/report/table.ts';
import type { Results } from '../../loadtest/types.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

/**
 * The column spec (loadtest/report/columns.ts) walked against its real consumers: a run that has every
 * column (a queue row, and an earlier run to compare with) rendered for the terminal, as report.md
 * and as report.html, and the legend under the last two.
 */
let table: ReportTable;
let terminal: string;
let markdown: string;
let html: string;
let legendKeys: string[];
let before: Results;
// Built before each test, not at import: Stryker switches a mutant on only once the tests have been
// collected, so a table built at import would never show it.
beforeEach(() => {
  const now = fixedResults([
    fixedScenario('hash', 'blocking', 40, 900),
    fixedScenario('hash', 'async', 70, 20),
    fixedScenario('hash', 'queue', 36, 5),
  ]);
  before = fixedResults([fixedScenario('hash', 'blocking', 38, 900), fixedScenario('hash', 'async', 65, 20)]);
  table = buildTable(now, before);
  terminal = renderTerminal(table);
  markdown = renderMarkdown(now, table, 'npm run loadtest');
  html = renderHtml(now, table, 'npm run loadtest');
  legendKeys = columnNotes(table.headers).flatMap(([key]) => key.split(' / '));
});

describe('each report column in the spec', () => {
  it('is in the table of a run that has queue rows and an earlier run, in spec order', () => {
    expect(table.headers).toEqual(COLUMNS.map((c) => c.header));
  });

  it.each(COLUMNS.map((c) => [c.header, c] as const))('%s has a cell in every row', (_header, column) => {
    const at = table.headers.indexOf(column.header);
    for (const row of table.sections.flatMap((s) => s.rows)) expect(row[at]).toMatch(/\S/);
  });

  it.each(COLUMNS.map((c) => [c.header]))(
    '%s is a header in the terminal table, report.md and report.html',
    (header) => {
      const line = terminal.split('\n').find((l) => l.startsWith('mode'));
      expect(line?.split(/ {2,}/).map((h) => h.trim())).toContain(header);
      expect(markdown).toContain(`| ${header} |`);
      expect(html).toContain(`<th>${escapeHtml(header)}</th>`);
    },
  );

  it.each(COLUMNS.map((c) => [c.header, c.note]))(
    '%s is a key of the legend, with its note, in report.md and report.html',
    (header, note) => {
      expect(legendKeys).toContain(header);
      const [key] = columnNotes(table.headers).find(([k]) => k.split(' / ').includes(header)) ?? [];
      expect(markdown).toContain(`- **${key}**: ${note}`);
      expect(html).toContain(`<li><b>${escapeHtml(key ?? '')}</b>: ${escapeHtml(note)}</li>`);
    },
  );

  it('keys the legend by the headers themselves: p50 and p99 share one line, "p50 / p99"', () => {
    expect(columnNotes(table.headers).map(([key]) => key)).toContain('p50 / p99');
  });

  it('leaves out the queue and --compare columns, and their legend lines, in a run without them', () => {
    const plain = buildTable(before);
    expect(plain.headers).not.toContain('queue jobs');
    expect(plain.headers).not.toContain('Δ p99');
    expect(columnNotes(plain.headers).map(([key]) => key)).not.toContain('Δ req/s / Δ p99');
  });
});
