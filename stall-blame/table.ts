/**
 * Prints a report file (LOOPLAB_BLAME_OUT) as a Markdown table:
 *
 *   node --import tsx stall-blame/table.ts blame.json [top=10]
 */
import { readFileSync } from 'node:fs';
import { renderBlameTable, type BlameReport } from './report.ts';

const [file, top = '10'] = process.argv.slice(2);
if (!file || !/^\d+$/.test(top)) {
  process.stderr.write('usage: stall-blame/table.ts <report.json> [top lines, whole number]\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8')) as BlameReport;
process.stdout.write(renderBlameTable(report, Number(top)));
