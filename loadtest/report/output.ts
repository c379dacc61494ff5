import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderHtml } from './report-html.ts';
import { renderMarkdown } from './report-md.ts';
import type { ReportLead } from './report-lead.ts';
import type { ReportTable } from './table.ts';
import type { ThresholdOutcome } from '../analyse/thresholds.ts';
import type { Results } from '../types.ts';

/**
 * Writes results.json, report.md and (unless `html` is false: --no-html) report.html into
 * `<outDir>/<timestamp>/` and returns that folder; a command's `lead` (advise's answer) heads both reports.
 */
export async function writeReports(
  outDir: string,
  results: Results,
  table: ReportTable,
  command: string,
  thresholds: ThresholdOutcome[],
  lead?: ReportLead,
  html = true,
): Promise<string> {
  const stamp = results.environment.startedAt.replace(/[:.]/g, '-');
  const dir = resolve(outDir, stamp);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`),
    writeFile(join(dir, 'report.md'), renderMarkdown(results, table, command, thresholds, lead)),
    html ? writeFile(join(dir, 'report.html'), renderHtml(results, table, command, thresholds, lead)) : undefined,
  ]);
  return dir;
}
