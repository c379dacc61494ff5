/**
 * What a command puts above the load test's figures in its reports — `looplab advise`'s answer — as
 * data: its paragraph, a table, notes and a curve. The command builds it once (advise/render.ts), and
 * the terminal, report.md and report.html each render that same value, so a column or a sentence is
 * written in one place whatever the format.
 */

export interface LeadCurve {
  title: string;
  /** What x counts (worker threads, requests in flight). */
  xLabel: string;
  points: ReadonlyArray<{ x: number; rps: number; p99Ms: number | null }>;
  /** The setting to mark (the knee). */
  markX: number | null;
}

export interface LeadTable {
  /** Said above the table. */
  caption: string;
  headers: readonly string[];
  rows: ReadonlyArray<readonly string[]>;
}

export interface ReportLead {
  title: string;
  paragraph: string;
  tables: readonly LeadTable[];
  /** Lines under the tables: why each candidate stands where it does, the knee, the offload cost, the cuts. */
  notes: readonly string[];
  curve: LeadCurve | null;
}

/** A table as the terminal shows it: columns padded to their widest cell. */
function alignedTable(table: LeadTable): string[] {
  const cells = [table.headers, ...table.rows];
  const widths = table.headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** The lead for a terminal: the paragraph, each table under its caption, then the notes indented. */
export function leadText(lead: ReportLead): string {
  const lines = [lead.paragraph];
  for (const table of lead.tables) lines.push('', `${table.caption}:`, ...alignedTable(table));
  if (lead.notes.length > 0) lines.push('', ...lead.notes.map((n) => `  ${n}`));
  return lines.join('\n');
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');

/** The lead for report.md: a section with the paragraph, the tables and the notes as a list. */
export function leadMarkdown(lead: ReportLead): string[] {
  const lines = ['', `## ${lead.title}`, '', lead.paragraph];
  for (const table of lead.tables) {
    lines.push(
      '',
      `${table.caption}:`,
      '',
      `| ${table.headers.join(' | ')} |`,
      `|${table.headers.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
    );
  }
  if (lead.notes.length > 0) lines.push('', ...lead.notes.map((n) => `- ${escapeCell(n)}`));
  return lines;
}
