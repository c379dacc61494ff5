import { escapeHtml } from '../../lib/html.ts';
import { scenarioLabel } from '../analyse/scenario-key.ts';
import type { Results } from '../types.ts';
import { blameLines, scenarioBlame, type ScenarioBlame } from './blame-line.ts';
import { fmtMs } from './format.ts';

const BARS = 8;
const WIDTH = 960;
const ROW = 22;
const LABEL = 520;

/** Horizontal bars: each culprit's stall ms, its label and share beside it. */
function bars(blame: ScenarioBlame): string {
  const shown = blame.culprits.slice(0, BARS);
  const longest = Math.max(...shown.map((c) => c.ms));
  const rows = shown.map((c, i) => {
    const y = 8 + i * ROW;
    const width = Math.max(1, ((WIDTH - LABEL - 130) * c.ms) / longest);
    return (
      `<text class="axis" x="${LABEL - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(c.culprit.length > 80 ? `…${c.culprit.slice(-79)}` : c.culprit)}</text>` +
      `<rect x="${LABEL}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW - 8}" fill="#c0392b"><title>${escapeHtml(c.culprit)}</title></rect>` +
      `<text class="axis" x="${(LABEL + width + 6).toFixed(1)}" y="${y + 14}">${fmtMs(c.ms)} · ${Math.round(c.share * 100)}%</text>`
    );
  });
  return `<svg class="chart blame" viewBox="0 0 ${WIDTH} ${16 + shown.length * ROW}" role="img" aria-label="stall time by culprit">${rows.join('')}</svg>`;
}

/**
 * The "Stall blame" part of report.html: per scenario with blame, a chart of its culprits' stall time,
 * or the plain-words line that there was nothing to blame. Empty when no run had blame.
 */
export function renderBlameCharts(results: Results): string {
  const parts = results.scenarios.flatMap((r) => {
    const blame = scenarioBlame(r);
    if (!blame) return [];
    const line = blameLines(r.scenario.mode, blame)
      .map((l) => `<p class="blame">${escapeHtml(l.trim())}</p>`)
      .join('\n');
    return [
      `<h3>${escapeHtml(scenarioLabel(r.scenario))}</h3>\n${line}${blame.culprits.length > 0 ? `\n${bars(blame)}` : ''}`,
    ];
  });
  if (parts.length === 0) return '';
  return `<h2>Stall blame</h2>
<p>The code that stalled the server's event loop in each measured window: V8's sampling profiler in the server, stalls found by a heartbeat, each sample's time charged to the first function in the server's own code (with the native or library function it was calling before the arrow). A mode that never stalled the loop has nothing to blame.</p>
${parts.join('\n')}`;
}
