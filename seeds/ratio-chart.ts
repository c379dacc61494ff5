import { escapeHtml } from '../lib/html.ts';
import type { ExperimentTable } from './table.ts';
import { times } from './table.ts';

export const RATIO_COLORS = { node: '#00798c', python: '#edae49' } as const;

/**
 * One experiment's speed-ups as horizontal bars on a log scale, Node's and Python's side by side per
 * row: the chart form of the table's two "×" columns. A plain SVG string, drawn with no script.
 */
export function renderRatioChart(table: ExperimentTable): string {
  const rows = table.ratios;
  const values = rows.flatMap((r) => [r.node, r.python]).filter((v): v is number => v !== null && v > 0);
  if (values.length === 0) return '';
  const lo = Math.min(0.5, ...values);
  const hi = Math.max(2, ...values);
  const [left, width, barH, gap] = [200, 520, 11, 10];
  const x = (v: number) => left + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * width;
  const rowH = 2 * barH + gap;
  const height = 40 + rows.length * rowH + 44;
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = 30 + i * rowH;
    parts.push(
      `<text class="axis" x="${left - 6}" y="${y + barH + 3}" text-anchor="end">${escapeHtml(r.label)}</text>`,
    );
    (['node', 'python'] as const).forEach((side, k) => {
      const v = r[side];
      if (v === null || v <= 0) return;
      const yy = y + k * barH;
      parts.push(
        `<rect class="bar ${side}" x="${x(lo)}" y="${yy}" width="${Math.max(1, x(v) - x(lo))}" height="${barH - 1}" ` +
          `fill="${RATIO_COLORS[side]}"><title>${side === 'node' ? 'Node' : 'Python'}: ${times(v)}</title></rect>`,
        `<text class="axis" x="${x(v) + 4}" y="${yy + barH - 2}">${times(v)}</text>`,
      );
    });
  });
  const one = x(1);
  const legendY = height - 10;
  const title = `Speed-up over the sequential run: ${table.heading}`;
  return `<svg class="chart ratio" viewBox="0 0 ${left + width + 60} ${height}" role="img" aria-label="${escapeHtml(title)}">
<text class="title" x="10" y="18">${escapeHtml(title)}</text>
<line class="grid" x1="${one}" x2="${one}" y1="24" y2="${height - 38}" stroke="#999" stroke-dasharray="3 3"/>
<text class="axis" x="${one}" y="${height - 26}" text-anchor="middle">1× (log scale)</text>
${parts.join('\n')}
<rect x="${left}" y="${legendY - 9}" width="10" height="10" fill="${RATIO_COLORS.node}"/><text class="axis" x="${left + 14}" y="${legendY}">Node (this run)</text>
<rect x="${left + 130}" y="${legendY - 9}" width="10" height="10" fill="${RATIO_COLORS.python}"/><text class="axis" x="${left + 144}" y="${legendY}">Python (as published)</text>
</svg>`;
}
