import { chartLibrary } from '../loadtest/report/chart-library.ts';
import { describeRun } from './describe.ts';
import { renderRatioChart } from './ratio-chart.ts';
import type { SeedsResults } from './results.ts';
import { SWEEP_SCRIPT } from './sweep-script.ts';
import { buildSweepTable, buildTables, COLUMNS } from './table.ts';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON inside a <script> element must not be able to close it. */
const embedJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; padding: 0 1rem; }
h1 { margin-bottom: .2rem } code { background: #f3f3f3; padding: 0 .3em; border-radius: 3px }
table { border-collapse: collapse; margin: .5rem 0 .3rem; font-variant-numeric: tabular-nums }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #ddd; text-align: right } th:first-child, td:first-child { text-align: left }
td:nth-child(6), th:nth-child(6) { text-align: left }
.lesson { font-weight: 600; margin-bottom: 1.5rem } .notes { color: #555; font-size: 13px }
svg.chart { width: 100%; height: auto; margin: 1rem 0; border: 1px solid #eee }
svg .title { font-weight: 600; font-size: 14px } svg .axis { font-size: 11px; fill: #555 }
`;

const htmlTable = (headers: readonly string[], rows: readonly (readonly string[])[]) =>
  `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;

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
