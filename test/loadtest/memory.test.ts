import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeMetrics, windowFigures } from '../../loadtest/measure/server-metrics.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server's resident memory over a window, read the way the harness reads it (two scrapes of
 * `/metrics`). The app runs in this process, so memory this test holds is the server's memory.
 */
describe("the server's resident memory over a window", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('has a peak: memory held for a moment within the window counts, not only the two moments the scrapes read', async () => {
    const before = await scrapeMetrics(app.url);
    await (async () => {
      // 256 MiB written to, so its pages are resident, held for three of the server's samples.
      const held = Buffer.alloc(256 * 2 ** 20, 1);
      await pause(350);
      return held.length;
    })();
    const figures = windowFigures(before, await scrapeMetrics(app.url));
    expect(figures?.rssPeakMb).toBeGreaterThanOrEqual((figures?.rssStartMb ?? Infinity) + 200);
    expect(figures?.rssPeakMb).toBeGreaterThanOrEqual(figures?.rssEndMb ?? Infinity);
  });
});

it('the table shows the peak beside the start and end', () => {
  const r = fixedScenario('hash', 'blocking', 40, 200);
  for (const run of r.runs) if (run.server) run.server.rssPeakMb = 131;
  const table = buildTable(fixedResults([r]));
  expect(table.sections[0]?.rows[0]?.[table.headers.indexOf('rss MB')]).toBe('80→82 (131)');
});

describe('memory per worker thread, read the way the harness reads it', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it("reports each worker thread's own memory once it has run a task, as the threads left the window", async () => {
    const before = await scrapeMetrics(app.url);
    for (let i = 0; i < 4; i++) expect((await app.get('/hash/worker?cost=1000')).status).toBe(200);
    const memory = windowFigures(before, await scrapeMetrics(app.url))?.memory;
    // A thread's V8 isolate with its DB pool and HTTP agent: more than a MiB, far less than the process.
    expect(memory?.workerThreads).toBeGreaterThanOrEqual(1);
    expect(memory?.workerThreadMb).toBeGreaterThan(1);
    expect(memory?.workerThreadMb).toBeLessThan(256);
    expect(memory?.workerThreadMaxMb).toBeGreaterThanOrEqual(memory?.workerThreadMb ?? Infinity);
    expect(memory?.queueWorkerMb).toBeUndefined();
  });

  it('counts only the threads the pool has now: a thread ended with a cancelled task takes its figure with it', async () => {
    // Both threads report first, so that an ended one has a figure to leave behind.
    await Promise.all(Array.from({ length: 6 }, () => app.get('/hash/worker?cost=1000')));
    // Each hang-up cancels a task that never yields, and piscina ends its thread and starts another.
    for (let i = 0; i < 3; i++) {
      await fetch(`${app.url}/cpu/worker?task=sum-squares&n=500000000`, { signal: AbortSignal.timeout(300) }).catch(
        () => undefined,
      );
      await pause(200);
    }
    const before = await scrapeMetrics(app.url);
    await Promise.all(Array.from({ length: 6 }, () => app.get('/hash/worker?cost=1000')));
    const memory = windowFigures(before, await scrapeMetrics(app.url))?.memory;
    // The test app's pool has 2 threads; the ended ones' figures must not be counted beside them.
    expect(memory?.workerThreads).toBeGreaterThanOrEqual(1);
    expect(memory?.workerThreads).toBeLessThanOrEqual(2);
  });
});
