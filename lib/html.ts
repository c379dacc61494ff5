/**
 * What every self-contained HTML page looplab writes shares (the load-test report, the seeds report, the
 * fault-drill report): escaping, data embedded for the page's own scripts, a plain table and the base style.
 */

/** Text for an element or an attribute value (quotes too, so it is safe inside `"…"`), and for SVG. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON inside a <script> element must not be able to close it. */
export const embedJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** A table of text cells, every cell escaped. */
export const htmlTable = (headers: readonly string[], rows: readonly (readonly string[])[]): string =>
  `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;

/** The reports' common look: page, code, tables (numbers right-aligned, the first column left) and charts. */
export const BASE_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; padding: 0 1rem; }
h1 { margin-bottom: .2rem } code { background: #f3f3f3; padding: 0 .3em; border-radius: 3px }
table { border-collapse: collapse; margin: .5rem 0 .3rem; font-variant-numeric: tabular-nums }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #ddd; text-align: right } th:first-child, td:first-child { text-align: left }
svg.chart { width: 100%; height: auto; margin: 1rem 0; border: 1px solid #eee }
svg .title { font-weight: 600; font-size: 14px } svg .axis { font-size: 11px; fill: #555 }
`;
