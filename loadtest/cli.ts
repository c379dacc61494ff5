/**
 * `npm run loadtest`: parses the command line, starts (or finds) the server, runs the matrix, prints the
 * table and writes the reports. All measuring and rendering lives in the modules it calls.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../server/config.ts';
import { parseResultsFile } from './compare.ts';
import { runFaultDrill } from './faults.ts';
import { renderFaultsMarkdown, writeFaultReports } from './faults-report.ts';
import { plannedSeconds, planScenarios, runMatrix, type Progress } from './matrix.ts';
import { OptionsError, parseOptions } from './options.ts';
import { USAGE } from './usage.ts';
import { writeReports } from './output.ts';
import { externalTarget, localStack, type TargetProvider } from './stack.ts';
import { buildTable, renderTerminal } from './table.ts';
import { evaluateThreshold, parseThreshold, ThresholdError, type Threshold } from './thresholds.ts';
import type { HarnessOptions, Results } from './types.ts';

const command = `npm run loadtest${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

function fail(message: string, code: number): never {
  process.stderr.write(`loadtest: ${message}\n`);
  process.exit(code);
}

function parseCommandLine(): { options: HarnessOptions; thresholds: Threshold[] } {
  try {
    const options = parseOptions(process.argv.slice(2));
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    return { options, thresholds: options.thresholds.map(parseThreshold) };
  } catch (err) {
    if (err instanceof OptionsError || err instanceof ThresholdError) fail(`${err.message}\n(see npm run loadtest -- --help)`, 2);
    throw err;
  }
}

function showProgress(p: Progress): void {
  const s = p.scenario;
  const level = s.rate !== undefined ? `${s.rate} req/s` : `${s.connections} connections`;
  const workers = s.workers !== undefined ? `, ${s.workers} workers` : '';
  const minutes = Math.floor(p.secondsLeft / 60);
  const left = `${minutes > 0 ? `${minutes}m ` : ''}${p.secondsLeft % 60}s`;
  process.stderr.write(`[${p.index}/${p.total}] ${s.workload}/${s.mode} at ${level}${workers}${p.repeat > 1 ? ` (run ${p.repeat})` : ''} — about ${left} left\n`);
}

const { options, thresholds } = parseCommandLine();
const previous: Results | undefined = options.compare
  ? await readFile(options.compare, 'utf8').then(
      (text) => parseResultsFile(text, options.compare as string),
      (err: Error) => fail(`--compare: cannot read ${options.compare}: ${err.message}`, 2),
    )
  : undefined;

if (options.faults) {
  const rate = options.rates[0] ?? 50;
  process.stderr.write(`loadtest: fault run, ${rate} req/s per workload, ${options.duration} s per phase (${options.duration * 5} s)\n`);
  const faults = await runFaultDrill({ rate, phaseSeconds: options.duration }, (step) => process.stderr.write(`loadtest: ${step}\n`)).catch((err: unknown) =>
    fail(err instanceof Error ? err.message : String(err), 1),
  );
  const dir = await writeFaultReports(options.out, faults, command);
  process.stdout.write(options.json ? `${JSON.stringify(faults, null, 2)}\n` : renderFaultsMarkdown(faults, command));
  process.stderr.write(`\nloadtest: reports in ${dir}/ (results.json, report.md, report.html)\n`);
  process.exit(0);
}

const scenarioCount = planScenarios(options).length;
process.stderr.write(`loadtest: ${scenarioCount} scenario(s), about ${Math.ceil(plannedSeconds(options, scenarioCount) / 60)} min of load\n`);

let targets: TargetProvider | undefined;
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('loadtest: interrupted, stopping what was started…\n');
  void (targets?.close() ?? Promise.resolve()).finally(() => process.exit(130));
});

let results: Results;
try {
  if (!options.url) process.stderr.write('loadtest: starting embedded PostgreSQL, upstream and server as separate processes…\n');
  // Like `npm start`: DATABASE_URL / UPSTREAM_URL, when set, are used instead of starting embedded ones.
  const config = loadConfig();
  targets = options.url ? externalTarget(options.url) : await localStack({ databaseUrl: config.databaseUrl, upstreamUrl: config.upstreamUrl });
  results = await runMatrix(options, targets, showProgress);
} catch (err) {
  await targets?.close();
  fail(err instanceof Error ? err.message : String(err), 1);
}
await targets.close();

const outcomes = thresholds.map((t) => evaluateThreshold(t, results));
const table = buildTable(results, previous);
if (options.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  process.stdout.write(`${renderTerminal(table)}\n`);
  if (table.sections.some((s) => s.rows.some((r) => r[0]?.endsWith('*')))) {
    process.stdout.write('\n* the load generator used about a whole core: those figures may be its limit, not the server\'s\n');
  }
}
const dir = await writeReports(options.out, results, table, command, outcomes);
process.stderr.write(`\nloadtest: reports in ${dir}/ (results.json, report.md, report.html)\n`);
for (const o of outcomes) process.stderr.write(`threshold ${o.passed ? 'passed' : 'FAILED'}: ${o.source} — ${o.detail}\n`);
process.exit(outcomes.every((o) => o.passed) ? 0 : 1);
