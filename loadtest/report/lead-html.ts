/**
 * A report lead (report-lead.ts) in report.html: its paragraph, tables and notes, and its curve drawn as
 * an SVG of its own (drawn here, not by the page's script, so the page shows it with scripts off too).
 */
import { escapeHtml, htmlTable } from '../../lib/html.ts';
import { fmtMs, fmtRate } from './format.ts';
import type { LeadCurve, ReportLead } from './report-lead.ts';

const W = 640;
const H = 240;
const PAD = { left: 60, right: 20, top: 30, bottom: 40 };

/** Throughput against the setting, one dot per point, the knee ringed; each dot's title gives its figures. */
function curveSvg(curve: LeadCurve): string {
  const points = [...curve.points].sort((a, b) => a.x - b.x);
  if (points.length < 2) return '';
  const xs = points.map((p) => p.x);
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const maxY = Math.max(...points.map((p) => p.rps), 1);
  const px = (x: number) => PAD.left + ((x - minX) / Math.max(1, maxX - minX)) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - (y / maxY) * (H - PAD.top - PAD.bottom);
  const line = points.map((p) => `${px(p.x).toFixed(1)},${py(p.rps).toFixed(1)}`).join(' ');
  const dots = points
    .map((p) => {
      const knee = p.x === curve.markX;
      return (
        `<circle class="${knee ? 'knee' : 'point'}" cx="${px(p.x).toFixed(1)}" cy="${py(p.rps).toFixed(1)}" r="${knee ? 6 : 3.5}" fill="${knee ? 'none' : '#00798c'}" stroke="${knee ? '#d1495b' : 'none'}" stroke-width="2">` +
        `<title>${escapeHtml(`${p.x}: ${fmtRate(p.rps)} req/s, p99 ${fmtMs(p.p99Ms ?? undefined)}`)}</title></circle>` +
        `<text class="axis" x="${px(p.x).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${p.x}</text>`
      );
    })
    .join('');
  return `<svg class="chart curve" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(curve.title)}">
<text class="title" x="${PAD.left}" y="18">${escapeHtml(curve.title)}</text>
<line class="grid" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#ccc"/>
<text class="axis" x="${PAD.left - 8}" y="${py(maxY) + 4}" text-anchor="end">${fmtRate(maxY)}</text>
<text class="axis" x="${PAD.left - 8}" y="${H - PAD.bottom + 4}" text-anchor="end">0</text>
<text class="axis" x="${(W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(curve.xLabel)} (req/s up the side; the ring is the knee)</text>
<polyline fill="none" stroke="#00798c" stroke-width="2" points="${line}"/>${dots}
</svg>`;
}

export function leadHtml(lead: ReportLead): string {
  const tables = lead.tables.map((t) => `<p>${escapeHtml(t.caption)}:</p>\n${htmlTable(t.headers, t.rows)}`);
  const notes = lead.notes.length ? `<ul>${lead.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<section id="lead">
<h2>${escapeHtml(lead.title)}</h2>
<p class="verdict">${escapeHtml(lead.paragraph)}</p>
${tables.join('\n')}
${notes}
${lead.curve ? curveSvg(lead.curve) : ''}
</section>`;
}
