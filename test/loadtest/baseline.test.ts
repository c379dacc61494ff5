import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { measureCpuBaseline } from '../../loadtest/measure/baseline.ts';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { describeRun } from '../../loadtest/report/report-md.ts';
import { buildTable, renderTerminal } from '../../loadtest/report/table.ts';
import type { HarnessOptions } from '../../loadtest/types.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

interface StandIn {
  /** Serve `looplab_event_loop_thread_cpu_seconds_total`, which grows by 20 ms per request. */
  loopCounter?: boolean;
  /** CPU the process's other threads spend on each request, ms (process counter only). */
  otherThreadsMs?: number;
  /** CPU each `/metrics` scrape costs the event-loop thread, ms, charged after the counters are read. */
  scrapeMs?: number;
  /** Other threads busy at one core for this long after the server starts, ms (process counter only). */
  busyForMs?: number;
  /** Each request takes this long on the wall clock, ms. */
  requestMs?: number;
}

/**
 * A stand-in for a server on a busy machine: each request reports 50 ms of work on the wall clock, but
 * its CPU counters (`/metrics`) grow by only 20 ms per request — the rest of the 50 ms another process
 * held the core. The single-thread cost is the 20 ms, what the request costs wherever it runs. The
 * options add what the real server's counters hold besides: other threads' CPU, and the scrape's own.
 */
async function standIn(o: StandIn = {}): Promise<{ origin: string; server: Server }> {
  const started = performance.now();
  let loopSeconds = 1;
  let otherSeconds = 0;
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      const busy = Math.min(performance.now() - started, o.busyForMs ?? 0) / 1000;
      res.end(
        [
          'looplab_event_loop_active_seconds_total 1',
          'looplab_event_loop_idle_seconds_total 1',
          'looplab_event_loop_delay_seconds{stat="p99"} 0',
          'looplab_event_loop_delay_seconds{stat="max"} 0',
          `process_cpu_seconds_total ${loopSeconds + otherSeconds + busy}`,
          ...(o.loopCounter ? [`looplab_event_loop_thread_cpu_seconds_total ${loopSeconds}`] : []),
          'process_resident_memory_bytes 100000000',
          '',
        ].join('\n'),
      );
      loopSeconds += (o.scrapeMs ?? 0) / 1000;
      return;
    }
    loopSeconds += 0.02;
    otherSeconds += (o.otherThreadsMs ?? 0) / 1000;
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ durationMs: 50 }));
    }, o.requestMs ?? 0);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
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
    const baseline = await measureCpuBaseline((await standIn()).origin, options);
    expect(baseline['cpu']?.basis).toBe('cpu');
    expect(baseline['cpu']?.msPerRequest).toBeCloseTo(20, 5);
    expect(baseline['cpu']?.minMs).toBeCloseTo(20, 5);
    expect(baseline['cpu']?.maxMs).toBeCloseTo(20, 5);
  });

  it("is the event-loop thread's own CPU, not the CPU of the process's other threads", async () => {
    // At the end of a run, replaced worker threads start up beside the baseline's requests.
    const { origin } = await standIn({ loopCounter: true, otherThreadsMs: 35 });
    const baseline = await measureCpuBaseline(origin, options);
    expect(baseline['cpu']?.basis).toBe('loop-cpu');
    expect(baseline['cpu']?.msPerRequest).toBeCloseTo(20, 5);
    expect(baseline['cpu']?.maxMs).toBeCloseTo(20, 5);
  });

  it('leaves out what reading the CPU counter costs, which the run never pays per request', async () => {
    const { origin } = await standIn({ loopCounter: true, scrapeMs: 4 });
    const baseline = await measureCpuBaseline(origin, options);
    expect(baseline['cpu']?.msPerRequest).toBeCloseTo(20, 5);
  });

  it("waits until the process's other threads are quiet before it reads the process's counter", async () => {
    // No thread counter (an older Node): the process's counter holds the other threads' start-up.
    const { origin } = await standIn({ busyForMs: 600, requestMs: 10 });
    const baseline = await measureCpuBaseline(origin, options);
    expect(baseline['cpu']?.basis).toBe('cpu');
    expect(baseline['cpu']?.maxMs).toBeCloseTo(20, 5);
  });
});

it('says in the run description which CPU the baseline is a share of', () => {
  const results = fixedResults([fixedScenario('hash', 'blocking', 40, 200)]);
  results.cpuBaseline = { hash: { msPerRequest: 15, samples: 12, atEndMs: 15, basis: 'loop-cpu' } };
  expect(describeRun(results).join('\n')).toContain("hash 15.0 ms/request of the server's event-loop thread CPU");
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
