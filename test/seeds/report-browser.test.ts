import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { renderHtml } from '../../seeds/render-html.ts';
import { buildTables } from '../../seeds/table.ts';
import { chromiumAvailable, CHROMIUM, launchChromium } from '../helpers/chromium.ts';
import { fixedSeedsResults } from './fixture-results.ts';

if (!chromiumAvailable) console.warn(`seeds report-browser.test.ts skipped: no Chromium at ${CHROMIUM}`);

it.skipIf(!chromiumAvailable)(
  'the seeds report.html renders offline in Chromium: a ratio chart per experiment and the pool-size sweep charted',
  async () => {
    const results = fixedSeedsResults();
    const dir = await mkdtemp(join(tmpdir(), 'looplab-seeds-report-'));
    const browser = await launchChromium();
    try {
      const file = join(dir, 'report.html');
      await writeFile(file, renderHtml(results));
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
      });
      // Offline: any request the page makes (a CDN script, a font) is a failure.
      await page.route('**/*', (route) =>
        route.request().url().startsWith('file:') ? route.continue() : route.abort(),
      );
      await page.goto(pathToFileURL(file).href);

      // The sweep: one uPlot chart, drawn, with a line for each form.
      expect(await page.getAttribute('body', 'data-sweep-rendered')).toBe('yes');
      const sweep = page.locator('#sweep .uplot');
      expect(await sweep.count()).toBe(1);
      expect(await sweep.locator('canvas').count()).toBeGreaterThan(0);
      const legend = await sweep.locator('.u-legend').textContent();
      expect(legend).toMatch(/worker_threads pool[\s\S]*bounded Promise\.all/);

      // One speed-up chart per experiment table, Node's bars and Python's where the text has a figure.
      const charts = await page.$$eval('svg.ratio', (svgs) => svgs.map((s) => s.getAttribute('aria-label')));
      expect(charts).toEqual(buildTables(results).map((t) => `Speed-up over the sequential run: ${t.heading}`));
      const realPython = page.locator('svg.ratio').first();
      expect(await realPython.locator('rect.bar.node').count()).toBe(6);
      expect(await realPython.locator('rect.bar.python').count()).toBe(4); // sync (1×), asyncio, threads, processes
      // The published figures are in the table, from seeds/published.ts.
      expect(await page.locator('#realpython-io table').textContent()).toContain('14.29 s');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
  60_000,
);
