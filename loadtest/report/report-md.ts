import { fmtChange, fmtMs } from './format.ts';
import { columnNotes } from './columns.ts';
import { queueRunLine } from './queue-report.ts';
import { notLooplabNote, probeNote } from '../analyse/target-scenario.ts';
import type { ReportTable } from './table.ts';
import type { BaselineFigure, Results } from '../types.ts';
import type { ThresholdOutcome } from '../analyse/thresholds.ts';
import { leadMarkdown, type ReportLead } from './report-lead.ts';

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');

/** What a baseline figure is a share of, by its basis (`wall`, and files from before `basis`, say nothing). */
const BASIS_WORDS: Readonly<Record<BaselineFigure['basis'], string>> = {
  'loop-cpu': " of the server's event-loop thread CPU",
  cpu: ' of server CPU',
  wall: '',
};

/** Describes the machine and run settings in one paragraph, for every report format. */
export function describeRun(results: Results): string[] {
  const env = results.environment;
  const o = results.options;
  const server = env.server
    ? `server: ${env.server.workers} workers, DB pool ${env.server.dbPool} (+${env.server.workerDbPool} per worker), ` +
      `UV_THREADPOOL_SIZE ${env.server.uvThreadpoolSize}`
    : 'server: pool sizes unknown';
  const model =
    o.rates.length > 0
      ? `open model at ${o.rates.join(', ')} req/s`
      : `closed model, ${o.connections.join(', ')} connections`;
  const baseline = Object.entries(results.cpuBaseline)
    .map(
      ([w, b]) =>
        `${w} ` +
        `${fmtMs(b.msPerRequest)}/request${BASIS_WORDS[b.basis ?? 'wall']}${b.atEndMs !== null ? ` at the start, ${fmtMs(b.atEndMs)} at the end (${fmtChange(b.atEndMs, b.msPerRequest)})` : ''}${b.minMs !== undefined && b.maxMs !== undefined ? `, range ${fmtMs(b.minMs)}–${fmtMs(b.maxMs)}` : ''}`,
    )
    .join(', ');
  const canary = o.target ? probeNote(o) : `/health probed ${o.probeRate}×/s`;
  return [
    ...(o.target
      ? [
          o.command
            ? `Target: ${o.targetPaths?.join(', ')} on ${o.target}, the server of \`${o.command.join(' ')}\`, which the ` +
              `harness started with the stall-blame preload — ${notLooplabNote(o)}.`
            : `Target: ${o.target}, a server the harness did not start — ${notLooplabNote(o)}.`,
        ]
      : []),
    `Machine: ${env.cpuModel}, ${env.cpus} cores, ${env.memoryGiB} GiB, ${env.platform}, Node ${env.node}; looplab ` +
      `${results.looplabVersion ?? 'unknown'}; commit ${env.gitCommit?.slice(0, 10) ?? 'unknown'}; started ` +
      `${env.startedAt}.`,
    `Run: ${model}; ${o.warmup} s warm-up + ${o.duration} s measured per run, ${o.repeat} run(s) per scenario; ${canary}; ${server}.` +
      (env.serverStartedByHarness ? ' The server ran on the same machine as the load generator.' : ''),
    ...(baseline ? [`Single-thread CPU cost measured in this run: ${baseline}.`] : []),
    ...queueRunLine(results),
    ...warmupLine(results),
  ];
}

/** What was done with the warm-up's requests: sent, then waited out before the window, never counted. */
function warmupLine(results: Results): string[] {
  const runs = results.scenarios.flatMap((s) => s.runs);
  const sent = runs.reduce((n, r) => n + r.warmup.requests, 0);
  if (sent === 0) return [];
  const longest = Math.max(...runs.map((r) => r.warmup.settleMs));
  return [
    `Warm-up: ${sent} requests in all, never counted or timed; after each warm-up the harness waited until the ` +
      `server had finished them (up to ${fmtMs(longest)}) before the measured window began.`,
  ];
}

export function renderMarkdown(
  results: Results,
  table: ReportTable,
  command: string,
  thresholds: ThresholdOutcome[] = [],
  lead?: ReportLead,
): string {
  const lines = [
    '# looplab load test',
    '',
    `\`${command}\``,
    '',
    ...describeRun(results)
      .flatMap((l) => [l, ''])
      .slice(0, -1),
    ...(lead ? leadMarkdown(lead) : []),
  ];
  if (table.compareNotes.length > 0)
    lines.push('', '**Compared with a run made differently:**', '', ...table.compareNotes.map((n) => `- ${n}`));
  for (const section of table.sections) {
    lines.push(
      '',
      `## ${section.title}`,
      '',
      `| ${table.headers.join(' | ')} |`,
      `|${table.headers.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    );
    for (const row of section.rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
    lines.push('', `**${section.verdict}**`);
    if (section.refusals.length > 0) lines.push('', ...section.refusals.map((p) => `- ${escapeCell(p)}`));
    if (section.processes.length > 0) lines.push('', ...section.processes.map((p) => `- ${escapeCell(p)}`));
    if (section.blame.length > 0) lines.push('', ...section.blame.map((b) => `- ${escapeCell(b)}`));
  }
  if (table.sweeps.length > 0) {
    lines.push('', '## Sweeps', '', ...table.sweeps.map((s) => `- ${s}`));
  }
  if (thresholds.length > 0) {
    lines.push('', '## Thresholds', '');
    for (const t of thresholds) lines.push(`- ${t.passed ? 'pass' : '**FAIL**'} \`${t.source}\` — ${t.detail}`);
  }
  lines.push('', '## Reading the columns', '');
  for (const [column, note] of columnNotes(table.headers)) lines.push(`- **${column}**: ${note}`);
  return `${lines.join('\n')}\n`;
}
