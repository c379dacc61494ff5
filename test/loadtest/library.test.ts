import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Imported by the package's own name, through `exports` in package.json, as a user's script would.
import { DEFAULT_OPTIONS, renderReport, runMatrix, startStack, type HarnessOptions } from 'looplab';
import { fmtRate } from '../../loadtest/report/format.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The harness as a library: the same run `npm run loadtest -- --url …` makes, driven from code. Only
 * what was run and what the reports name is asserted, never speed.
 */
describe('the harness library (import from "looplab")', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('runs one scenario against a running server and renders it in every format', async () => {
    const options: HarnessOptions = {
      ...DEFAULT_OPTIONS,
      url: app.url,
      workloads: ['fetch'],
      modes: ['async'],
      duration: 1,
      warmup: 0,
      connections: [2],
    };
    const stack = await startStack({ url: app.url });
    const results = await runMatrix(options, stack);
    await stack.close();

    expect(results.schema).toBe('looplab-loadtest/3');
    expect(results.scenarios.map((s) => `${s.scenario.workload}/${s.scenario.mode}@${s.scenario.connections}`)).toEqual(
      ['fetch/async@2'],
    );
    const [run] = results.scenarios[0]?.runs ?? [];
    // Every 2xx counted as throughput was an answer the server gave within the window.
    expect(run?.ok).toBeGreaterThan(0);
    expect(run?.okInWindow).toBeLessThanOrEqual(run?.ok ?? 0);

    // The terminal table has this run's row: the mode, then its req/s as the report formats it.
    const rps = results.scenarios[0]?.summary.rps.median ?? Number.NaN;
    const rows = renderReport(results, 'terminal').split('\n');
    expect(rows.filter((row) => /^async\b/.test(row)).map((row) => row.split(/\s{2,}/)[1])).toEqual([fmtRate(rps)]);
    expect(renderReport(results, 'markdown', { command: 'library test' })).toContain('library test');
    const html = renderReport(results, 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // The page carries these very results for its charts, not merely the word "fetch".
    const embedded = /<script type="application\/json" id="looplab-data">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(embedded ?? 'null')).toEqual(JSON.parse(JSON.stringify(results)));
  });

  it('leaves a server it did not start running when closed', async () => {
    const stack = await startStack({ url: app.url });
    await stack.start(undefined);
    await stack.close();
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
  });
});
