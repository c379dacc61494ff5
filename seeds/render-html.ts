import { BASE_STYLE, embedJson, escapeHtml, htmlTable } from '../lib/html.ts';
import { chartLibrary } from '../loadtest/report/chart-library.ts';
import { describeRun } from './describe.ts';
import { renderRatioChart } from './ratio-chart.ts';
import type { SeedsResults } from './results.ts';
import { SWEEP_SCRIPT } from './sweep-script.ts';
import { buildSweepTable, buildTables, COLUMNS } from './table.ts';

const STYLE = `${BASE_STYLE}
td:nth-child(6), th:nth-child(6) { text-align: left }
.lesson { font-weight: 600; margin-bottom: 1.5rem } .notes { color: #555; font-size: 13px }
`;

/** report.html: one self-contained page in the load-test report's style, uPlot inlined, no network needed. */
export function renderHtml(results: SeedsResults): string {
  const sections = buildTables(results)
    .map(
      (t) => `<section id="${escapeHtml(t.id)}"><h2>${escapeHtml(t.heading)}</h2>
<p>${escapeHtml(t.source)}. ${escapeHtml(t.batch)}</p>
${htmlTable(COLUMNS, t.rows)}
<ol class="notes">${t.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ol>
${renderRatioChart(t)}
<p class="lesson">${escapeHtml(t.lesson)}</p></section>`,
    )
    .join('\n');
  const sweep = results.sweep
    ? `<h2>Pool-size sweep</h2>
<p>Real Python's 160 pages at ${results.sweep.latencyMs} ms a page. Its author found 5 to 10 threads fastest; here is Node's curve for worker threads and for bounded Promise.all. Times include the pool's start-up unless the line says otherwise.</p>
<div id="sweep"></div>
${htmlTable(buildSweepTable(results.sweep).headers, buildSweepTable(results.sweep).rows)}`
    : '';
  const library = chartLibrary();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>looplab seeds — ${escapeHtml(results.startedAt)}</title>
<style>${library.style}</style>
<style>${STYLE}</style></head>
<body>
<h1>The Python tutorials' experiments, in Node</h1>
<p><code>${escapeHtml(results.command)}</code></p>
${describeRun(results)
  .map((l) => `<p>${escapeHtml(l)}</p>`)
  .join('\n')}
${sections}
${sweep}
<script type="application/json" id="seeds-data">${embedJson(results)}</script>
<script>${library.script}</script>
<script>${SWEEP_SCRIPT}</script>
</body></html>
`;
}
