import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runScenario } from '../../loadtest/measure/scenario.ts';

let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

it("says how much of the window a partial last second covers, so it never reads as throughput's fall", async () => {
  const run = await runScenario(
    origin,
    { workload: 'target', mode: '—', connections: 2, rate: undefined, workers: undefined, path: '/' },
    { durationSeconds: 1, warmupSeconds: 0, probeRate: 1, signals: { healthPath: null, metrics: false } },
  );
  // autocannon stops on its 1 s tick, a little after 1 s: the window has a second entry holding its tail.
  expect(run.windowSeconds).toBeGreaterThan(1);
  expect(run.timeline).toHaveLength(2);
  expect(run.timeline[0]?.span).toBeUndefined();
  const last = run.timeline[1];
  expect(last?.span).toBeCloseTo(run.windowSeconds - 1, 2);
  expect(last?.span).toBeLessThan(1);
});
