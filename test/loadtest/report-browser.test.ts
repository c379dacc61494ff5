import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderHtml } from '../../loadtest/report/report-html.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import { CHROMIUM, launchChromium } from '../helpers/chromium.ts';
import { defaultScenarios, fixedResults, fixedScenario } from './fixture-results.ts';

// CI installs Debian's chromium (.ci/run) and must run this test; elsewhere it is skipped, loudly.
const available = existsSync(CHROMIUM);
if (!available && !process.env['CI'])
  console.warn(`report-browser.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

let browser: Browser;
let dir: string;
beforeAll(async () => {
  if (!available && !process.env['CI']) return;
  dir = await mkdtemp(join(tmpdir(), 'looplab-report-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it.skipIf(!available && !process.env['CI'])(
  'report.html renders its charts offline with no console errors',
  async () => {
    // A connections sweep, so the throughput curve is drawn too.
    const sweep = defaultScenarios().concat(
      ['blocking', 'async', 'worker'].map((mode, i) => {
        const r = fixedScenario('fetch', mode as 'blocking', [30, 700, 60][i] ?? 1, 10);
        r.scenario.connections = 50;
        return r;
      }),
    );
    // Run with one --workers value: the sweep's x must still be the connections, not the worker count.
    for (const r of sweep) r.scenario.workers = 2;
    const results = fixedResults(sweep);
    results.options.connections = [20, 50];
    results.options.workers = [2];
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(results, buildTable(results), 'npm run loadtest'));

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) problems.push(`network request to ${req.url()}`);
    });
    await page.goto(pathToFileURL(file).href);

    expect(await page.getAttribute('body', 'data-charts-rendered')).toBe('4');
    const charts = await page.$$eval('#charts svg', (svgs) => svgs.map((s) => s.getAttribute('aria-label')));
    expect(charts).toEqual([
      'Throughput by mode (2xx answers/s)',
      '/health p99 while loaded (what other callers wait)',
      'Latency percentiles (2xx answers)',
      'fetch: throughput vs connections',
    ]);
    // /health on a log scale: async's 2.5 ms stays visible next to blocking's 900 ms (on a linear
    // scale its bar would be 0.3% as tall).
    const health = await page.$$eval('#charts svg:nth-of-type(2) rect.bar', (rects) =>
      rects.map((r) => Number(r.getAttribute('height'))),
    );
    expect(Math.min(...health)).toBeGreaterThan(0.1 * Math.max(...health));
    // uPlot, inlined: a timeline per run (9 scenarios, one run each) and an HDR percentile curve per
    // workload and level (fetch at c=20 and c=50, hash at c=20), each drawn on a canvas.
    expect(await page.getAttribute('body', 'data-views-rendered')).toBe(String(9 + 3));
    const views = await page.$$eval('#views .view', (divs) =>
      divs.map((d) => ({ label: d.getAttribute('aria-label'), canvas: d.querySelectorAll('canvas').length })),
    );
    expect(views[0]).toEqual({ label: 'Timeline: fetch/blocking c=20 w=2', canvas: 1 });
    expect(views.at(-1)).toEqual({ label: 'Latency distribution (2xx answers, first run): fetch c=50 w=2', canvas: 1 });
    // Timeline legends name what is drawn.
    expect(await page.locator('#views .view').first().locator('.u-legend').textContent()).toContain('/health p99 ms');
    // 9 scenarios: throughput and /health have one bar each, latency three — less the p99 of blocking
    // fetch at c=20, whose 80 answers cannot support one; every bar has a real size.
    const bars = await page.$$eval('svg rect.bar', (rects) => rects.map((r) => Number(r.getAttribute('height'))));
    expect(bars).toHaveLength(9 + 9 + 26);
    const sweepAxis = await page.$$eval('#charts svg:last-of-type text.axis', (texts) =>
      texts.map((t) => t.textContent),
    );
    expect(sweepAxis).toEqual(expect.arrayContaining(['20', '50', 'connections']));
    expect(sweepAxis).not.toContain('2');
    expect(bars.every((h) => Number.isFinite(h) && h >= 0)).toBe(true);
    expect(Math.max(...bars)).toBeGreaterThan(100);
    const box = await page.locator('#charts svg').first().boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await page.locator('h3').first().textContent()).toBe('fetch — c=20 w=2 — delay=50&bytes=1024&count=1');
    expect(problems).toEqual([]);
  },
);
