import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { summarize } from '../../loadtest/analyse/summarize.ts';
import { renderHtml } from '../../loadtest/report/report-html.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import type { QueueBackendName, ScenarioResult } from '../../loadtest/types.ts';
import { FIXTURE_BASELINE, FIXTURE_FACTS, fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// As report-browser.test.ts: CI installs Debian's chromium and must run this; elsewhere it is skipped, loudly.
const available = existsSync(CHROMIUM) || Boolean(process.env['CI']);
if (!available)
  console.warn(`queue-report-browser.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

function queueRow(rps: number, waitMs: number, queueBackend: QueueBackendName): ScenarioResult {
  const figure = (meanMs: number) => ({ count: 100, meanMs, p99AtMostMs: 100 });
  const scenario = {
    workload: 'fetch',
    mode: 'queue',
    connections: 20,
    rate: undefined,
    workers: undefined,
    queueBackend,
    path: '/fetch/queue?delay=50',
  };
  return summarize(
    scenario,
    [{ ...fixedRun(rps, 4), queue: { jobs: 100, wait: figure(waitMs), processing: figure(51) } }],
    null,
    FIXTURE_FACTS,
    FIXTURE_BASELINE,
  );
}

it.skipIf(!available)(
  'report.html draws all four modes and both queue backends, each in its own colour, with legends that do not overlap',
  async () => {
    const results = fixedResults([
      fixedScenario('fetch', 'blocking', 16, 450),
      fixedScenario('fetch', 'async', 380, 3),
      fixedScenario('fetch', 'worker', 38, 2.5),
      queueRow(20, 9, 'postgres'),
      queueRow(30, 3, 'redis'),
    ]);
    results.options.queueBackends = ['postgres', 'redis'];
    const dir = await mkdtemp(join(tmpdir(), 'looplab-queue-report-'));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const file = join(dir, 'report.html');
      await writeFile(
        file,
        renderHtml(results, buildTable(results), 'npm run loadtest -- --queue-backends postgres,redis'),
      );
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
      });
      await page.goto(pathToFileURL(file).href);

      const charts = await page.$$eval('#charts svg', (svgs) => svgs.map((s) => s.getAttribute('aria-label')));
      expect(charts).toEqual([
        'Throughput by mode (2xx answers/s)',
        '/health p99 while loaded (what other callers wait)',
        'Latency percentiles (2xx answers)',
        'Queue mode: mean wait for a queue worker and mean run in it (server histograms)',
      ]);
      // The throughput chart: one bar per row, five colours, and a legend entry for each in that colour.
      const throughput = page.locator('#charts svg').first();
      const fills = await throughput
        .locator('rect.bar')
        .evaluateAll((rects) => rects.map((r) => r.getAttribute('fill')));
      expect(new Set(fills).size).toBe(5);
      const legend = await throughput.locator('text.axis').evaluateAll((texts) =>
        texts
          .filter((t) => Number(t.getAttribute('y')) > 280)
          .map((t) => ({
            name: t.textContent,
            x: Number(t.getAttribute('x')),
            width: (t as unknown as { getBBox(): { width: number } }).getBBox().width,
          })),
      );
      expect(legend.map((l) => l.name)).toEqual(['blocking', 'async', 'worker', 'queue-postgres', 'queue-redis']);
      for (let i = 1; i < legend.length; i++) {
        const previous = legend[i - 1];
        expect(legend[i]?.x ?? 0).toBeGreaterThan((previous?.x ?? 0) + (previous?.width ?? 0));
      }
      // The queue chart: wait and run for each backend.
      expect(await page.locator('#charts svg').nth(3).locator('rect.bar').count()).toBe(4);
      // A timeline per row, and one percentile curve with a line per row.
      const views = await page.$$eval('#views .view', (divs) => divs.map((d) => d.getAttribute('aria-label')));
      expect(views).toContain('Timeline: fetch/queue-redis c=20');
      expect(await page.locator('#views .view').last().locator('.u-legend').textContent()).toMatch(
        /queue-postgres[\s\S]*queue-redis/,
      );
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
