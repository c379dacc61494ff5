import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureCpuBaseline } from '../../loadtest/measure/baseline.ts';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { buildTable, renderTerminal } from '../../loadtest/report/table.ts';
import type { HarnessOptions } from '../../loadtest/types.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

/**
 * A stand-in for a server on a busy machine: each request reports 50 ms of work on the wall clock, but
 * its CPU counter (`/metrics`) grows by only 20 ms per request — the rest of the 50 ms another process
 * held the core. The single-thread cost is the 20 ms, what the request costs wherever it runs.
 */
let server: Server;
let origin: string;
beforeAll(async () => {
  let cpuSeconds = 1;
  server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.end(
        [
          'looplab_event_loop_active_seconds_total 1',
          'looplab_event_loop_idle_seconds_total 1',
          'looplab_event_loop_delay_seconds{stat="p99"} 0',
          'looplab_event_loop_delay_seconds{stat="max"} 0',
          `process_cpu_seconds_total ${cpuSeconds}`,
          'process_resident_memory_bytes 100000000',
          '',
        ].join('\n'),
      );
      return;
    }
    cpuSeconds += 0.02;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ durationMs: 50 }));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

const options: HarnessOptions = {
  ...structuredClone(DEFAULT_OPTIONS),
  workloads: ['cpu'],
  params: { cpu: { n: '1' } },
  discovered: {
    cpu: {
      source: 'built-in',
      modes: ['blocking', 'async'],
      bound: { kind: 'cpu', modes: { blocking: { threads: 'loop' } } },
    },
  },
};

describe('the single-thread baseline', () => {
  it("is the server's CPU time per request, not the wall time a busy machine stretches", async () => {
    const baseline = await measureCpuBaseline(origin, options);
    expect(baseline['cpu']?.basis).toBe('cpu');
    expect(baseline['cpu']?.msPerRequest).toBeCloseTo(20, 5);
    expect(baseline['cpu']?.minMs).toBeCloseTo(20, 5);
    expect(baseline['cpu']?.maxMs).toBeCloseTo(20, 5);
  });
});

describe('"of bound" above 100%', () => {
  // The fixture's hash baseline is 25 ms at the start, 26 at the end: a bound of 40/s in blocking mode.
  const table = (rps: number, minMs: number) => {
    const results = fixedResults([fixedScenario('hash', 'blocking', rps, 200)]);
    results.cpuBaseline = { hash: { msPerRequest: 25, samples: 12, atEndMs: 26, minMs, maxMs: 27, basis: 'cpu' } };
    return buildTable(results);
  };

  it('is said beside the figure when it exceeds the bound beyond the baseline spread', () => {
    const t = table(48, 24); // 120%, while the fastest group allows 25/24 = 104%
    expect(t.sections[0]?.rows[0]?.[t.headers.indexOf('of bound')]).toBe('120% !');
    expect(renderTerminal(t)).toContain(
      "blocking served 120% of its bound (!): more than the single-thread baseline's own spread allows (24.0 ms–27.0 ms per request)",
    );
  });

  it('is printed plain when the baseline spread covers it', () => {
    const t = table(42, 20); // 105%, within 25/20 = 125%
    expect(t.sections[0]?.rows[0]?.[t.headers.indexOf('of bound')]).toBe('105%');
    expect(t.sections[0]?.refusals).toEqual([]);
  });
});
