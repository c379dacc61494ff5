import type { ThresholdOutcome } from '../analyse/thresholds.ts';
import type { Results } from '../types.ts';
import { renderHtml } from './report-html.ts';
import { renderMarkdown } from './report-md.ts';
import { buildTable, renderTerminal } from './table.ts';

export type ReportFormat = 'terminal' | 'markdown' | 'html';

export interface RenderOptions {
  /** An earlier run to compare with: the table gains its "vs before" figures and the list of what differs. */
  readonly previous?: Results | undefined;
  /** The command that produced the results, quoted in the Markdown and HTML reports. */
  readonly command?: string;
  readonly thresholds?: readonly ThresholdOutcome[];
}

/**
 * One results object as the terminal table, the Markdown report or the self-contained HTML report:
 * the programmatic face of what `npm run loadtest` prints and writes.
 */
export function renderReport(results: Results, format: ReportFormat, options: RenderOptions = {}): string {
  const table = buildTable(results, options.previous);
  const command = options.command ?? 'looplab runMatrix()';
  const thresholds = [...(options.thresholds ?? [])];
  if (format === 'terminal') return renderTerminal(table);
  if (format === 'markdown') return renderMarkdown(results, table, command, thresholds);
  return renderHtml(results, table, command, thresholds);
}
