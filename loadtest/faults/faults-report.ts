import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { escapeHtml } from '../../lib/html.ts';
import type { DrillTarget, FaultResults, SecondBucket } from './faults.ts';
import { queueKillMethod, queueKillRows } from './queue-kill-report.ts';

const fmtOutcomes = (o: Record<string, number>) =>
  Object.entries(o)
    .sort()
    .map(([k, n]) => `${k}×${n}`)
    .join(' ') || '–';
const fmtMs = (ms: number | null) => (ms === null ? 'never' : `${ms} ms`);

/** What was loaded; results written before the targets were recorded name them only in their recoveries. */
const targetsOf = (results: FaultResults): DrillTarget[] =>
  results.targets ??
  results.recoveries.map((r) => ({ workload: r.workload, dependency: r.dependency, path: `/${r.workload}/async` }));
const endpoint = (t: DrillTarget) => t.path.split('?')[0] ?? t.path;

function describe(results: FaultResults): string[] {
  const env = results.environment;
  return [
    `Machine: ${env.cpuModel}, ${env.cpus} cores, Node ${env.node}; commit ${env.gitCommit?.slice(0, 10) ?? 'unknown'}; started ${env.startedAt}.`,
    `Load: ${results.options.rate} req/s to each of ${targetsOf(results).map(endpoint).join(' and ')} (open ` +
      `model); phases of ${results.options.phaseSeconds} s: calm, database down, calm, upstream down, calm.`,
  ];
}

function recoveryRows(results: FaultResults): string[][] {
  return results.recoveries.map((r) => [
    r.dependency,
    endpoint(
      targetsOf(results).find((t) => t.workload === r.workload) ?? {
        workload: r.workload,
        dependency: r.dependency,
        path: `/${r.workload}/async`,
      },
    ),
    `${r.stoppedAtS} s → ${r.restartingAtS} s (back at ${r.restartedAtS} s)`,
    fmtOutcomes(r.duringOutage),
    fmtMs(r.slowestAnswerWhileDownMs),
    fmtMs(r.firstSuccessMs),
    r.lastFailureMs === 0 ? 'none after restart' : fmtMs(r.lastFailureMs),
  ]);
}

const RECOVERY_HEADERS = [
  'dependency',
  'endpoint',
  'down',
  'answers while down',
  'slowest answer while down',
  'first success after restart',
  'last failure after restart',
];

function timelineRows(buckets: SecondBucket[], targets: DrillTarget[]): string[][] {
  const seconds = [...new Set(buckets.map((b) => b.second))].sort((a, b) => a - b);
  return seconds.map((s) => [
    String(s),
    ...targets.map((t) =>
      fmtOutcomes(buckets.find((b) => b.second === s && b.workload === t.workload)?.outcomes ?? {}),
    ),
  ]);
}

/** The worker-kill drill's load, as a timeline row. */
const queueTarget = (q: NonNullable<FaultResults['queueKill']>): DrillTarget => ({
  workload: q.buckets[0]?.workload ?? 'fetch',
  dependency: 'queue worker',
  path: q.endpoint,
});

export function renderFaultsMarkdown(results: FaultResults, command: string): string {
  const q = results.queueKill;
  const table = (headers: string[], rows: string[][]) => [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  return [
    '# looplab fault run',
    '',
    `\`${command}\``,
    '',
    ...describe(results).flatMap((l) => [l, '']),
    '## Recovery',
    '',
    ...table(RECOVERY_HEADERS, recoveryRows(results)),
    '',
    ...(q
      ? [
          '## Queue worker killed mid-job',
          '',
          queueKillMethod(q),
          '',
          ...table(['figure', 'value'], queueKillRows(q)),
          '',
        ]
      : []),
    '## Events',
    '',
    ...results.events.map((e) => `- ${e.atS} s: ${e.what}`),
    '',
    '## Answers by second (requests due in that second, by status; "error" = no answer)',
    '',
    ...table(['second', ...targetsOf(results).map(endpoint)], timelineRows(results.buckets, targetsOf(results))),
    '',
    ...(q
      ? [...table(['second', q.endpoint.split('?')[0] ?? q.endpoint], timelineRows(q.buckets, [queueTarget(q)])), '']
      : []),
  ].join('\n');
}

/** A stacked bar per second and workload: green for 200, shades of red for each failure status. */
function timelineSvg(results: FaultResults): string {
  const colors: Record<string, string> = {
    '200': '#2a9d8f',
    '502': '#e76f51',
    '503': '#d62828',
    '504': '#f4a261',
    error: '#6d597a',
  };
  // One row per loaded endpoint: the dependencies' targets, then the worker-kill drill's queue load.
  const rows = targetsOf(results).map((target) => ({
    target,
    buckets: results.buckets.filter((x) => x.workload === target.workload),
  }));
  if (results.queueKill) rows.push({ target: queueTarget(results.queueKill), buckets: results.queueKill.buckets });
  const all = rows.flatMap((r) => r.buckets);
  const seconds = Math.max(1, ...all.map((b) => b.second + 1));
  const maxCount = Math.max(1, ...all.map((b) => Object.values(b.outcomes).reduce((a, n) => a + n, 0)));
  const width = 900;
  const rowH = 120;
  const barW = (width - 60) / seconds;
  const height = rows.length * (rowH + 30) + 30;
  const parts: string[] = [];
  rows.forEach(({ target, buckets }, row) => {
    const top = 20 + row * (rowH + 30);
    parts.push(`<text x="0" y="${top - 5}" class="label">${escapeHtml(endpoint(target))}</text>`);
    for (const b of buckets) {
      let y = top + rowH;
      for (const [status, n] of Object.entries(b.outcomes).sort()) {
        const h = (rowH * n) / maxCount;
        y -= h;
        parts.push(
          `<rect class="bar" x="${(50 + b.second * barW).toFixed(1)}" y="${y.toFixed(1)}" ` +
            `width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}" ` +
            `fill="${colors[status] ?? '#999'}"><title>${b.second} s: ${status} × ${n}</title></rect>`,
        );
      }
    }
  });
  for (const e of results.events) {
    const x = 50 + e.atS * barW;
    parts.push(
      `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="10" y2="${height - 30}" class="event"><title>${escapeHtml(e.what)}</title></line>`,
    );
  }
  const legend = Object.entries(colors)
    .map(
      ([k, c], i) =>
        `<rect x="${50 + i * 90}" y="${height - 20}" width="10" height="10" fill="${c}"/><text x="${64 + i * 90}" y="${height - 11}" class="label">${k}</text>`,
    )
    .join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Answers by second">${parts.join('')}${legend}</svg>`;
}

export function renderFaultsHtml(results: FaultResults, command: string): string {
  const table = (headers: string[], rows: string[][]) =>
    `<table><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</table>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>looplab fault run</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
svg.chart{width:100%;height:auto;border:1px solid #eee}.label{font-size:11px;fill:#444}.event{stroke:#000;stroke-dasharray:4 3}</style></head><body>
<h1>looplab fault run</h1><p><code>${escapeHtml(command)}</code></p>${describe(results)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('')}
<h2>Recovery</h2>${table(RECOVERY_HEADERS, recoveryRows(results))}
${results.queueKill ? `<h2>Queue worker killed mid-job</h2><p>${escapeHtml(queueKillMethod(results.queueKill))}</p>${table(['figure', 'value'], queueKillRows(results.queueKill))}` : ''}
<h2>Answers by second</h2>${timelineSvg(results)}
<h2>Events</h2><ul>${results.events.map((e) => `<li>${e.atS} s: ${escapeHtml(e.what)}</li>`).join('')}</ul>
</body></html>
`;
}

export async function writeFaultReports(outDir: string, results: FaultResults, command: string): Promise<string> {
  const dir = resolve(outDir, `${results.environment.startedAt.replace(/[:.]/g, '-')}-faults`);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`),
    writeFile(join(dir, 'report.md'), renderFaultsMarkdown(results, command)),
    writeFile(join(dir, 'report.html'), renderFaultsHtml(results, command)),
  ]);
  return dir;
}
