import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderHtml } from '../../loadtest/report/report-html.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  if (!chromiumAvailable) return;
  dir = await mkdtemp(join(tmpdir(), 'looplab-labels-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it.skipIf(!chromiumAvailable)(
  "the latency chart's slanted labels clear its legend and stay inside the chart",
  async () => {
    // Twelve groups with long labels: too many to stand side by side, so they are slanted.
    const scenarios = [1, 2, 5, 10, 20, 50].flatMap((connections) =>
      ['blocking', 'async'].map((mode) => fixedScenario('hash', mode, 30, 10, { connections })),
    );
    const results = fixedResults(scenarios);
    results.options.connections = [1, 2, 5, 10, 20, 50];
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(results, buildTable(results), 'npm run loadtest'));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const boxes = await page.$$eval('#charts svg', (svgs) => {
      const svg = svgs.find((s) => s.getAttribute('aria-label') === 'Latency percentiles (2xx answers)');
      if (!svg) return null;
      const box = (e: { getBoundingClientRect(): { top: number; bottom: number; left: number } }) => {
        const r = e.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left };
      };
      const slanted = [...svg.querySelectorAll('text[transform^="rotate(-30"]')].map(box);
      const legend = [...svg.querySelectorAll('rect:not(.bar)')].map(box);
      return { chart: box(svg), slanted, legendTop: Math.min(...legend.map((r) => r.top)) };
    });
    expect(boxes?.slanted.length).toBe(12);
    for (const label of boxes?.slanted ?? []) {
      expect(label.bottom).toBeLessThanOrEqual(boxes?.legendTop ?? 0);
      expect(label.left).toBeGreaterThanOrEqual(boxes?.chart.left ?? Infinity);
    }
  },
  60_000,
);
