import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoadDriver } from '../../loadtest/measure/generators.ts';
import { runScenario } from '../../loadtest/measure/scenario.ts';
import { scrapeMetrics } from '../../loadtest/measure/server-metrics.ts';
import { waitUntilSettled } from '../../loadtest/measure/settle.ts';
import type { Scenario } from '../../loadtest/types.ts';
import { startTestApp, untilReady, type TestApp } from '../helpers/test-app.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

/**
 * `--generators 2` for real: two generator processes load the real app (port 0), and the server's own
 * counts say what arrived. A cheap endpoint (one round of sha256) keeps the server out of the way.
 */
let app: TestApp;
let proxy: TcpProxy;
let proxied: string;
beforeAll(async () => {
  app = await startTestApp();
  await untilReady(app);
  const { hostname, port } = new URL(app.url);
  // The proxy counts the TCP connections the generators open (only theirs go through it).
  proxy = await startTcpProxy(hostname, Number(port));
  proxied = `http://127.0.0.1:${proxy.port}`;
});
afterAll(async () => {
  await proxy.close();
  await app.close();
});

const scenario = (over: Partial<Scenario>): Scenario => ({
  workload: 'hash',
  mode: 'async',
  connections: 0,
  rate: undefined,
  workers: undefined,
  path: '/hash/async?algo=sha256&cost=1',
  ...over,
});
const served = async () => (await scrapeMetrics(app.url))?.workloadRequestsDone ?? Number.NaN;

describe('load from two generator processes', () => {
  it('open model: the rate is split between them, so the server receives rate × window requests once, not twice', {
    timeout: 90_000,
  }, async () => {
    const before = await served();
    const run = await runScenario(app.url, scenario({ rate: 25 }), {
      durationSeconds: 4,
      warmupSeconds: 0,
      probeRate: 5,
      generators: 2,
    });
    await waitUntilSettled(app.url);
    const after = await served();
    // By hand: 25/s × 4 s = 100 due, the two generators taking every other one; a multiplied rate
    // would be 200. The tolerance is a count, not a speed: a request may be dropped (never sent) or
    // abandoned (sent, still unanswered when the 4 s drain ended: on a machine busy with other work the
    // server can fall behind even this), so the server saw between 100 − dropped − abandoned and
    // 100 − dropped, and every other request was answered 2xx.
    expect(run.due).toBe(100);
    expect(run.windowSeconds).toBe(4);
    expect([run.errors, run.timeouts, run.non2xx]).toEqual([0, 0, 0]);
    // A count, not a speed: a request is dropped only when 1000 are in flight, and 100 are all there
    // are, so none is; every tolerance below would otherwise let a generator that sends nothing pass.
    expect(run.dropped).toBe(0);
    expect(run.sendLag?.n).toBe(100);
    expect(after - before).toBeGreaterThanOrEqual(100 - run.dropped - run.abandoned);
    expect(after - before).toBeLessThanOrEqual(100 - run.dropped);
    // One merged histogram: every answer in it once, and one send-lag sample per request sent.
    expect(run.ok).toBe(100 - run.dropped - run.abandoned);
    expect(run.latency.n).toBe(run.ok);
    expect(run.timeline.reduce((a, s) => a + s.ok, 0)).toBeLessThanOrEqual(run.ok);
    expect(run.sendLag?.n).toBe(100 - run.dropped);
    // Both processes' CPU (and this one's) is in the sum; the busiest alone is less.
    expect(run.busiestGeneratorCpu).toBeGreaterThan(0);
    expect(run.generatorCpu).toBeGreaterThan(run.busiestGeneratorCpu);
  });

  it('closed model: 5 connections split 3 + 2 between them, never 5 each', { timeout: 90_000 }, async () => {
    const driver = await startLoadDriver(2);
    try {
      await proxy.resetStats();
      const before = await served();
      const load = await driver.drive(proxied, scenario({ connections: 5 }), 2);
      await waitUntilSettled(app.url);
      const after = await served();
      const stats = await proxy.stats();
      // autocannon opens one connection per `connections` and keeps it: 10 would mean each generator
      // ran all 5.
      expect(stats.accepted).toBe(5);
      expect(stats.peakAwaiting).toBeLessThanOrEqual(5);
      // Every request they sent reached the server; one per connection may be unanswered when it stops.
      expect(load.due).toBeGreaterThan(0);
      expect(after - before).toBe(load.due);
      expect(load.log.counts.ok).toBeGreaterThanOrEqual(load.due - 5);
      expect(load.childCpuSeconds).toHaveLength(2);
    } finally {
      driver.stop();
    }
  });
});
