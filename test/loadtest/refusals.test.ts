import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClosedModel } from '../../loadtest/measure/closed-model.ts';
import { runOpenModel } from '../../loadtest/measure/open-model.ts';
import { buildTable, renderTerminal } from '../../loadtest/report/table.ts';
import { fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

/** A server that refuses every other request with a 503 and a body naming why, and answers the rest. */
let server: Server;
let origin: string;
beforeAll(async () => {
  let n = 0;
  server = createServer((_req, res) => {
    n++;
    if (n % 2 === 0) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"error":"worker queue full","code":"WORKER_QUEUE_FULL"}');
    } else res.end('ok');
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe('the load generators keep the refusals', () => {
  it('the closed model counts non-2xx answers by status and keeps one body', async () => {
    const { log } = await runClosedModel({ url: `${origin}/x`, connections: 2, durationSeconds: 1, timeoutSeconds: 5 });
    expect(log.counts.non2xx).toBeGreaterThan(0);
    expect(log.counts.statuses).toEqual({ '503': log.counts.non2xx });
    expect(log.samples['503']).toBe('{"error":"worker queue full","code":"WORKER_QUEUE_FULL"}');
    expect(log.samples['200']).toBeUndefined();
  });

  it('the open model does the same', async () => {
    const result = await runOpenModel({
      origin,
      path: '/x',
      rate: 50,
      durationSeconds: 1,
      maxInFlight: 10,
      timeoutMs: 5000,
    });
    expect(result.log.counts.statuses).toEqual({ '503': result.non2xx });
    expect(result.log.samples['503']).toContain('worker queue full');
  });
});

describe('a level that was mostly refused', () => {
  const sweep = (runs: number) =>
    [1, 2, 4].map((workers) => {
      const rps = { 1: 1, 2: 50, 4: 40 }[workers] ?? 0;
      const run = (i: number) => fixedRun(rps + i, 10, workers === 1 ? { non2xx: 7995 } : {});
      return fixedScenario('cpu', 'worker', rps, 10, { workers, runs: Array.from({ length: runs }, (_, i) => run(i)) });
    });

  it('is never ranked in a sweep, and the sweep says what refused it', () => {
    const table = buildTable(fixedResults(sweep(1)));
    expect(table.sweeps).toEqual([
      'cpu/worker: peaks at c=20 w=2 with 50.0 req/s; c=20 w=4 0.8× of that; c=20 w=1 not ranked: 100% of its ' +
        'requests failed — 503 ×7995 ("{\\"error\\":\\"worker queue full\\"}").',
    ]);
  });

  it('shows its statuses, counts and a sample body under the table', () => {
    const text = renderTerminal(buildTable(fixedResults(sweep(1))));
    expect(text).toContain('worker failed 100% of its requests: 503 ×7995 ("{\\"error\\":\\"worker queue full\\"}")');
  });

  it('sets the sweep pick against the next level with Mann–Whitney when --repeat allows', () => {
    const results = fixedResults(sweep(4));
    results.options.repeat = 4;
    const [line] = buildTable(results).sweeps;
    expect(line).toContain(
      'peaks at c=20 w=2 with 51.5 req/s (against c=20 w=4: beyond run-to-run noise: Mann–Whitney p = 0.029, 4 runs each)',
    );
  });

  it('is not ranked against blocking in the mode verdict either', () => {
    const refused = fixedScenario('hash', 'worker', 1, 10, { non2xx: 900 });
    const table = buildTable(fixedResults([fixedScenario('hash', 'blocking', 40, 200), refused]));
    const section = table.sections[0];
    expect(section?.verdict).toContain('worker not ranked: 99% of its requests failed');
    expect(section?.verdict).not.toContain('worker serves');
    expect(section?.rows[1]?.[table.headers.indexOf('vs blocking')]).toBe('refused');
  });
});
