import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Results, ScenarioResult } from '../loadtest/types.ts';
import { chromiumAvailable, CHROMIUM, launchChromium } from './helpers/chromium.ts';
import { runCli } from './loadtest/run-cli.ts';

/**
 * One real `npm run loadtest` (db with 20 ms of pg_sleep, the three modes, on the suite's database and
 * upstream), and what the README promises of its outputs: the table printed on stdout says what
 * results.json says, the verdict that offloading I/O to workers costs more than it gains is reached on
 * a real run (README, "What it showed on this machine"), and report.html renders in a browser.
 */
if (!chromiumAvailable)
  console.warn(`e2e-loadtest-real-run-reports: no Chromium at ${CHROMIUM}: the browser case is SKIPPED`);

let out = '';
let stdout = '';
let results: Results;
let reportHtml = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'looplab-real-run-'));
  const run = await runCli(
    ['--workloads', 'db', '--params', 'db.sleep=20', '--duration', '2', '--warmup', '1', '--no-blame', '--out', out],
    {
      timeoutMs: 240_000,
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), UPSTREAM_URL: inject('upstreamUrl') },
    },
  );
  expect(run.code, run.stderr).toBe(0);
  stdout = run.stdout;
  const [dir] = await readdir(out);
  results = JSON.parse(await readFile(join(out, dir ?? '', 'results.json'), 'utf8')) as Results;
  reportHtml = join(out, dir ?? '', 'report.html');
}, 300_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

/** The printed number in a cell ("392 ms", "85%", "4.4×", "max 269 ms", "–"), and half its last digit. */
function printed(cell: string): { value: number; tolerance: number } | null {
  const match = /(-?\d+(?:\.(\d+))?)/.exec(cell);
  if (!match?.[1]) return null;
  return { value: Number(match[1]), tolerance: 0.5 * 10 ** -(match[2]?.length ?? 0) };
}

/** The printed table's rows for one section: mode → cells, split on the runs of spaces between columns. */
function tableRows(text: string): Map<string, Map<string, string>> {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => l.startsWith('mode ') && l.includes('req/s'));
  if (head < 0) throw new Error(`no table on stdout:\n${text}`);
  const columns = (lines[head] ?? '').trim().split(/\s{2,}/);
  const rows = new Map<string, Map<string, string>>();
  for (const line of lines.slice(head + 1)) {
    if (!/^(blocking|async|worker)\b/.test(line)) break;
    const cells = line.trim().split(/\s{2,}/);
    const mode = (cells[0] ?? '').replace(/\s*\*$/, '');
    rows.set(mode, new Map(columns.map((c, i) => [c, cells[i] ?? ''])));
  }
  return rows;
}

it('prints each cell of the table as results.json has it, to the digits shown', () => {
  const rows = tableRows(stdout);
  expect([...rows.keys()]).toEqual(['blocking', 'async', 'worker']);
  const by = (mode: string) => results.scenarios.find((s) => s.scenario.mode === mode) as ScenarioResult;
  const blockingRps = by('blocking').summary.rps.median;
  for (const [mode, cells] of rows) {
    const s = by(mode).summary;
    const expected: Record<string, number | null> = {
      'req/s': s.rps.median,
      'failed/s': s.failedPerSecond.median,
      n: s.n,
      p50: s.p50?.median ?? null,
      p99: s.p99?.median ?? null,
      'loop delay p99': s.eventLoopDelayP99Ms?.median ?? null,
      'loop max': s.eventLoopDelayMaxMs?.median ?? null,
      'loop busy': s.eventLoopUtilization ? s.eventLoopUtilization.median * 100 : null,
      'of bound': by(mode).efficiency === null ? null : (by(mode).efficiency ?? 0) * 100,
      'vs blocking': s.rps.median / blockingRps,
      // Fewer than 100 probes support no p99: the cell then shows their maximum, named "max".
      '/health p99': (s.healthP99 ?? s.healthMax)?.median ?? null,
    };
    for (const [column, value] of Object.entries(expected)) {
      const cell = cells.get(column);
      expect(cell, `${mode} ${column}`).toBeDefined();
      const shown = printed(cell ?? '');
      if (value === null) {
        expect(shown, `${mode} ${column}: "${cell}"`).toBeNull();
        continue;
      }
      expect(shown, `${mode} ${column}: "${cell}"`).not.toBeNull();
      expect(
        Math.abs((shown?.value ?? Number.NaN) - value),
        `${mode} ${column}: "${cell}" vs ${value}`,
      ).toBeLessThanOrEqual((shown?.tolerance ?? 0) + 1e-9);
    }
    if (!s.healthP99) expect(cells.get('/health p99')).toMatch(/^max /);
  }
});

it('finds on a real run that offloading I/O to workers costs more than it gains', () => {
  const rps = (mode: string) =>
    results.scenarios.find((s) => s.scenario.mode === mode)?.summary.rps.median ?? Number.NaN;
  // Two worker threads each holding one 20 ms wait, against 20 connections on the async pool.
  expect(rps('worker')).toBeLessThan(0.9 * rps('async'));
  expect(stdout).toMatch(/worker serves only [\d.]+× async: offloading costs more than it gains/);
});

it.skipIf(!chromiumAvailable)('renders its report.html in Chromium, offline, with no errors', async () => {
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) problems.push(`network request to ${req.url()}`);
    });
    await page.goto(pathToFileURL(reportHtml).href);
    const rendered = Number(await page.getAttribute('body', 'data-charts-rendered'));
    const charts = await page.$$eval('#charts svg', (svgs) => svgs.length);
    expect(rendered).toBeGreaterThanOrEqual(3);
    expect(charts).toBe(rendered);
    // A chart per mode's timeline: a canvas drawn for each of the three runs, at the least.
    expect(await page.$$eval('canvas', (c) => c.length)).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  } finally {
    await browser?.close();
  }
});
