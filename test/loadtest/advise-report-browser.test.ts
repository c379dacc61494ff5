import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { adviceLead } from '../../loadtest/advise/render.ts';
import { writeReports } from '../../loadtest/report/output.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../helpers/chromium.ts';
import { fixtureAdvice, fixtureAdviceResults } from '../helpers/advice-fixture.ts';

if (!chromiumAvailable) console.warn(`advise-report-browser.test.ts skipped: no Chromium at ${CHROMIUM}`);

it.skipIf(!chromiumAvailable)(
  "advise's report.html shows the answer in a browser: paragraph, evidence table, why each lost, the knee ringed on its curve",
  async () => {
    const advice = fixtureAdvice();
    const lead = adviceLead(advice);
    const results = { ...fixtureAdviceResults(), advice };
    const dir = await mkdtemp(join(tmpdir(), 'looplab-advise-browser-'));
    const browser = await launchChromium();
    try {
      const out = await writeReports(dir, results, buildTable(results), 'npm run advise -- --workloads cpu', [], lead);
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(msg.text());
      });
      await page.goto(pathToFileURL(join(out, 'report.html')).href);

      const section = page.locator('section#lead');
      await expect(section.locator('h2').textContent()).resolves.toBe('Advice for cpu');
      await expect(section.locator('p.verdict').textContent()).resolves.toBe(advice.paragraph);
      expect(await section.locator('th').allTextContents()).toEqual(lead.tables[0]?.headers);
      const rows = await section
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(rows).toEqual(lead.tables[0]?.rows);
      const notes = await section.locator('li').allTextContents();
      for (const r of advice.table.filter((r) => r.standing.kind !== 'recommended'))
        expect(notes).toContain(`${r.label}: ${r.why}`);
      expect(notes.some((n) => n.startsWith('offload cost per call: 400 µs'))).toBe(true);
      expect(notes).toContain('cut for the budget (not measured): worker ×4');
      // The curve is visible and rings the knee, 2 threads.
      const curve = section.locator('svg.curve');
      expect(await curve.isVisible()).toBe(true);
      expect(await curve.locator('circle.knee title').textContent()).toMatch(/^2: /);
      // The answer comes before the figures it was drawn from.
      const headings = await page.locator('h2').allTextContents();
      expect(headings.indexOf('Advice for cpu')).toBeLessThan(headings.indexOf('Charts'));
      expect(headings.indexOf('Advice for cpu')).toBeGreaterThanOrEqual(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
  60_000,
);
