import { BASE_STYLE, embedJson, escapeHtml, htmlTable } from '../../lib/html.ts';
import { columnNotes } from './columns.ts';
import { describeRun } from './report-md.ts';
import { chartLibrary } from './chart-library.ts';
import { renderBlameCharts } from './blame-chart.ts';
import { CHART_SCRIPT } from './report-html-script.ts';
import { leadHtml } from './lead-html.ts';
import type { ReportLead } from './report-lead.ts';
import { VIEWS_SCRIPT } from './report-html-views.ts';
import type { ReportTable } from './table.ts';
import type { ThresholdOutcome } from '../analyse/thresholds.ts';
import type { Results } from '../types.ts';

const STYLE = `${BASE_STYLE}
.verdict { font-weight: 600; margin-bottom: .4rem } .blame { color: #7a1f14; margin: .2rem 0 1rem } .fail { color: #b00020 } .pass { color: #1b7f3b }
.view { margin: 1rem 0 } svg .grid { stroke: #eee }
`;

/**
 * One self-contained page: no network access needed to open it, charts drawn from embedded data. A
 * command's `lead` (advise's answer) comes first, above the figures it was drawn from.
 */
export function renderHtml(
  results: Results,
  table: ReportTable,
  command: string,
  thresholds: ThresholdOutcome[] = [],
  lead?: ReportLead,
): string {
  const sections = table.sections
    .map(
      (s) => `<h3>${escapeHtml(s.title)}</h3>
${htmlTable(table.headers, s.rows)}
<p class="verdict">${escapeHtml(s.verdict)}</p>${s.refusals.map((p) => `\n<p class="fail">${escapeHtml(p)}</p>`).join('')}${s.processes.map((p) => `\n<p>${escapeHtml(p)}</p>`).join('')}${s.blame.map((b) => `\n<p class="blame">${escapeHtml(b)}</p>`).join('')}`,
    )
    .join('\n');
  const thresholdList = thresholds.length
    ? `<h2>Thresholds</h2><ul>${thresholds.map((t) => `<li class="${t.passed ? 'pass' : 'fail'}">${t.passed ? 'pass' : 'FAIL'} <code>${escapeHtml(t.source)}</code> — ${escapeHtml(t.detail)}</li>`).join('')}</ul>`
    : '';
  const library = chartLibrary();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>looplab load test — ${escapeHtml(results.environment.startedAt)}</title>
<style>${library.style}</style>
<style>${STYLE}</style></head>
<body>
<h1>looplab load test</h1>
<p><code>${escapeHtml(command)}</code></p>
${describeRun(results)
  .map((l) => `<p>${escapeHtml(l)}</p>`)
  .join('\n')}
${lead ? leadHtml(lead) : ''}
${table.compareNotes.length ? `<p><b>Compared with a run made differently:</b></p><ul>${table.compareNotes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
<h2>Charts</h2>
<div id="charts"></div>
<h2>Timelines and latency distributions</h2>
<div id="views"></div>
<h2>Figures</h2>
${sections}
${renderBlameCharts(results)}
${table.sweeps.length ? `<h2>Sweeps</h2><ul>${table.sweeps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : ''}
${thresholdList}
<h2>Reading the columns</h2>
<ul>${columnNotes(table.headers)
    .map(([c, n]) => `<li><b>${escapeHtml(c)}</b>: ${escapeHtml(n)}</li>`)
    .join('')}</ul>
<script type="application/json" id="looplab-data">${embedJson(results)}</script>
<script>${CHART_SCRIPT}</script>
<script>${library.script}</script>
<script>${VIEWS_SCRIPT}</script>
</body></html>
`;
}
