import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-md.ts';
import type { SeedsResults } from './results.ts';

/** Writes results.json, report.md and report.html into `<outDir>/seeds-<timestamp>/`; returns the folder. */
export async function writeSeedsReports(outDir: string, results: SeedsResults): Promise<string> {
  const dir = resolve(outDir, `seeds-${results.startedAt.replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`),
    writeFile(join(dir, 'report.md'), renderMarkdown(results)),
    writeFile(join(dir, 'report.html'), renderHtml(results)),
  ]);
  return dir;
}
