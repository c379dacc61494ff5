import { beforeEach, describe, expect, it } from 'vitest';
import { summarize } from '../../loadtest/analyse/summarize.ts';
import { evaluateThreshold, parseThreshold } from '../../loadtest/analyse/thresholds.ts';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { planScenarios } from '../../loadtest/matrix.ts';
import { summarizeQueue } from '../../loadtest/analyse/queue-summary.ts';
import { queueParts } from '../../loadtest/analyse/queue-verdict.ts';
import { parseQueueTotals, queueWindow, type QueueWindow } from '../../loadtest/measure/queue-times.ts';
import { parseMetrics } from '../../loadtest/measure/server-metrics.ts';
import { OptionsError, parseOptions } from '../../loadtest/cli/options.ts';
import { renderHtml } from '../../loadtest/report/report-html.ts';
import { renderMarkdown } from '../../loadtest/report/report-md.ts';
import { buildTable, type ReportTable, renderTerminal } from '../../loadtest/report/table.ts';
import type { QueueBackendName, Results, ScenarioResult } from '../../loadtest/types.ts';
import { FIXTURE_BASELINE, FIXTURE_FACTS, fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

/** The server's `/metrics` lines for the two queue histograms, as prom-client writes them (le first). */
function queueScrape(
  workloads: Record<
    string,
    { wait: [count: number, sum: number, buckets: number[]]; run: [count: number, sum: number, buckets: number[]] }
  >,
): string {
  const les = ['0.01', '0.025', '0.05', '+Inf'];
  const lines = ['# HELP looplab_queue_wait_seconds x', '# TYPE looplab_queue_wait_seconds histogram'];
  for (const [name, key] of [
    ['looplab_queue_wait_seconds', 'wait'],
    ['looplab_queue_processing_seconds', 'run'],
  ] as const) {
    for (const [workload, figures] of Object.entries(workloads)) {
      const [count, sum, buckets] = figures[key];
      les.forEach((le, i) => lines.push(`${name}_bucket{le="${le}",workload="${workload}"} ${buckets[i] ?? count}`));
      lines.push(`${name}_sum{workload="${workload}"} ${sum}`, `${name}_count{workload="${workload}"} ${count}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const EVENT_LOOP = `looplab_event_loop_active_seconds_total 1
looplab_event_loop_idle_seconds_total 1
looplab_event_loop_delay_seconds{stat="p99"} 0.001
looplab_event_loop_delay_seconds{stat="max"} 0.002
process_cpu_seconds_total 1
process_resident_memory_bytes 1048576
`;

describe("queue wait and processing from the server's histograms", () => {
  // cpu: 10 jobs before the window, 30 after. Wait sums 0.05 s → 0.45 s, processing 0.1 s → 1.3 s.
  const before = queueScrape({ cpu: { wait: [10, 0.05, [10, 10, 10, 10]], run: [10, 0.1, [0, 10, 10, 10]] } });
  const after = queueScrape({
    cpu: { wait: [30, 0.45, [12, 25, 30, 30]], run: [30, 1.3, [0, 10, 29, 30]] },
    // First jobs ever in the window: no series before it, so counted from zero.
    fetch: { wait: [4, 0.02, [4, 4, 4, 4]], run: [4, 0.2, [0, 0, 0, 4]] },
  });

  it('gives the exact count and mean of the window, by difference of the two scrapes', () => {
    const window = queueWindow(parseQueueTotals(before), parseQueueTotals(after), 'cpu');
    // By hand: 20 jobs; wait (0.45 − 0.05) s ÷ 20 = 20 ms; processing (1.3 − 0.1) s ÷ 20 = 60 ms.
    expect(window?.jobs).toBe(20);
    expect(window?.wait.count).toBe(20);
    expect(window?.wait.meanMs).toBeCloseTo(20, 9);
    expect(window?.processing.count).toBe(20);
    expect(window?.processing.meanMs).toBeCloseTo(60, 9);
  });

  it('names the p99 only as the upper bound of the bucket it fell in, and none in the unbounded last bucket', () => {
    const window = queueWindow(parseQueueTotals(before), parseQueueTotals(after), 'cpu');
    // Wait: the window's buckets hold 2, 15, 20 cumulative; the 20th of 20 (nearest-rank p99) is first
    // reached at le=0.05. Processing: 0, 0, 19, so the 20th is only in +Inf: no bound to give.
    expect(window?.wait.p99AtMostMs).toBeCloseTo(50, 9);
    expect(window?.processing.p99AtMostMs).toBeNull();
  });

  it('counts a workload whose first jobs ran in the window from zero', () => {
    const window = queueWindow(parseQueueTotals(before), parseQueueTotals(after), 'fetch');
    expect(window).toMatchObject({
      jobs: 4,
      wait: { count: 4, meanMs: expect.closeTo(5, 9) },
      processing: { count: 4, meanMs: expect.closeTo(50, 9) },
    });
  });

  it('gives means to the microsecond, without the binary noise of float seconds', () => {
    // By hand: 3 jobs waited 2.6106 s in all, 870.2 ms each; the plain float sum ÷ 3 × 1000 is 870.1999999999999.
    const from = queueScrape({ db: { wait: [0, 0, [0, 0, 0, 0]], run: [0, 0, [0, 0, 0, 0]] } });
    const to = queueScrape({ db: { wait: [3, 2.6106, [0, 0, 0, 3]], run: [3, 0.06, [0, 3, 3, 3]] } });
    const window = queueWindow(parseQueueTotals(from), parseQueueTotals(to), 'db');
    expect(window?.wait.meanMs).toBe(870.2);
    expect(window?.processing.meanMs).toBe(20);
  });

  it('gives 0 jobs and no mean for a workload with no job in the window, and nothing for a server without queue mode', () => {
    expect(queueWindow(parseQueueTotals(before), parseQueueTotals(after), 'db')).toEqual({
      jobs: 0,
      wait: { count: 0, meanMs: null, p99AtMostMs: null },
      processing: { count: 0, meanMs: null, p99AtMostMs: null },
    });
    expect(parseQueueTotals(EVENT_LOOP)).toBeUndefined();
    expect(queueWindow(undefined, parseQueueTotals(after), 'cpu')).toBeNull();
  });

  it('gives nothing when a total went down (a process restarted within the window)', () => {
    expect(queueWindow(parseQueueTotals(after), parseQueueTotals(before), 'cpu')).toBeNull();
  });

  it('reads them in the same scrape as the event-loop figures', () => {
    const snapshot = parseMetrics(EVENT_LOOP + after);
    expect(snapshot?.queue?.get('cpu')?.wait.count).toBe(30);
    expect(parseMetrics(EVENT_LOOP)?.queue).toBeUndefined();
  });
});

const QUEUE_FACTS = { ...FIXTURE_FACTS, queue: { backend: 'postgres' as const, workers: 1, concurrency: 1, max: 16 } };

/** A queue scenario of one hand-written run with the given split (ms), summarised by the harness. */
function queueScenario(
  rps: number,
  split: { jobs: number; waitMs: number; runMs: number },
  queueBackend?: QueueBackendName,
): ScenarioResult {
  const queue: QueueWindow = {
    jobs: split.jobs,
    wait: { count: split.jobs, meanMs: split.waitMs, p99AtMostMs: 50 },
    processing: { count: split.jobs, meanMs: split.runMs, p99AtMostMs: 100 },
  };
  const path = '/hash/queue?algo=pbkdf2&cost=100000';
  const scenario = {
    workload: 'hash',
    mode: 'queue',
    connections: 20,
    rate: undefined,
    workers: undefined,
    ...(queueBackend ? { queueBackend } : {}),
    path,
  };
  return summarize(scenario, [{ ...fixedRun(rps, 5), queue }], null, QUEUE_FACTS, FIXTURE_BASELINE);
}

// The fixtures are built in beforeEach, not in the describe body: code run while vitest collects the
// tests runs before Stryker switches a mutant on, so a mutant there would survive every test.
describe('queue beside the other three modes in the reports', () => {
  let results: Results;
  let table: ReportTable;
  beforeEach(() => {
    results = fixedResults([
      fixedScenario('hash', 'blocking', 40, 900),
      fixedScenario('hash', 'async', 70, 20),
      fixedScenario('hash', 'worker', 72, 6),
      queueScenario(36, { jobs: 180, waitMs: 12.5, runMs: 25 }),
    ]);
    results.options.modes = ['blocking', 'async', 'worker', 'queue'];
    results.environment.server = QUEUE_FACTS;
    table = buildTable(results);
  });
  const column = (header: string) => table.headers.indexOf(header);

  it('gives queue its own row, with its jobs, mean wait and mean run, and "—" for the modes without a queue', () => {
    const rows = table.sections[0]?.rows ?? [];
    expect(rows.map((r) => r[0])).toEqual(['blocking', 'async', 'worker', 'queue']);
    expect(table.headers.slice(column('p99'), column('p99') + 4)).toEqual([
      'p99',
      'queue jobs',
      'queue wait',
      'queue run',
    ]);
    const queueCells = (r: string[] | undefined) => r?.slice(column('queue jobs'), column('queue run') + 1);
    expect(queueCells(rows[3])).toEqual(['180', '12.5 ms', '25.0 ms']);
    for (const row of rows.slice(0, 3)) expect(queueCells(row)).toEqual(['—', '—', '—']);
    expect(rows[3]?.[column('vs blocking')]).toBe('0.9×');
  });

  it('says in the verdict where a queue job spent its time, beside how it compares with blocking and worker', () => {
    expect(table.sections[0]?.verdict).toContain('queue serves 0.9× blocking');
    expect(table.sections[0]?.verdict).toContain(
      'queue serves 0.5× worker (the same worker form, in queue worker processes)',
    );
    expect(table.sections[0]?.verdict).toContain(
      "queue: jobs waited 12.5 ms for a queue worker and ran 25.0 ms in it (means of 180 jobs, from the server's histograms)",
    );
  });

  it('shows the same columns in the terminal, Markdown and HTML, with their method, and a chart colour and split chart for queue', () => {
    expect(renderTerminal(table)).toMatch(/queue jobs +queue wait +queue run/);
    const md = renderMarkdown(results, table, 'cmd');
    expect(md).toContain('| queue | 36.0 |');
    expect(md).toContain('**queue jobs / queue wait / queue run**: queue mode only');
    expect(md).toContain('Queue mode (BullMQ) on postgres');
    const html = renderHtml(results, table, 'cmd');
    expect(html).toContain('<td>12.5 ms</td>');
    expect(html).toContain("queue: '#6a4c93'");
    expect(html).toContain('Queue mode: mean wait for a queue worker and mean run in it');
  });

  it('adds no queue columns, and no note on them, to a run without queue', () => {
    const plain = fixedResults();
    const plainTable = buildTable(plain);
    expect(plainTable.headers).not.toContain('queue wait');
    expect(renderMarkdown(plain, plainTable, 'cmd')).not.toContain('queue jobs');
  });

  it('gates on the mean queue wait in ms, and fails a gate on a mode without a queue', () => {
    expect(evaluateThreshold(parseThreshold('hash.queue.queue_wait<20'), results)).toMatchObject({
      passed: true,
      detail: 'c=20: 12.50 < 20.00 ok',
    });
    expect(evaluateThreshold(parseThreshold('hash.queue.queue_run<20'), results).passed).toBe(false);
    // The mean run is 25 ms: at the bound it passes; on a mode without a queue it is not measured.
    expect(evaluateThreshold(parseThreshold('hash.queue.queue_run<=25'), results).passed).toBe(true);
    expect(evaluateThreshold(parseThreshold('hash.worker.queue_run<20'), results).detail).toContain('not measured');
    expect(evaluateThreshold(parseThreshold('hash.worker.queue_wait<20'), results).detail).toContain(
      "needs queue mode and a job counted in the server's /metrics",
    );
  });
});

describe('the two queue backends side by side', () => {
  let results: Results;
  let table: ReportTable;
  beforeEach(() => {
    results = fixedResults([
      fixedScenario('hash', 'async', 70, 20),
      queueScenario(20, { jobs: 100, waitMs: 8, runMs: 25 }, 'postgres'),
      queueScenario(30, { jobs: 150, waitMs: 2, runMs: 25 }, 'redis'),
    ]);
    results.options.queueBackends = ['postgres', 'redis'];
    table = buildTable(results);
  });

  it('names each queue row by its backend, in the same section as the other modes', () => {
    expect(table.sections).toHaveLength(1);
    expect(table.sections[0]?.rows.map((r) => r[0])).toEqual(['async', 'queue-postgres', 'queue-redis']);
    expect(table.sections[0]?.verdict).toContain('queue-redis serves 1.5× queue-postgres');
    expect(table.sections[0]?.verdict).toContain('queue-postgres: jobs waited 8.0 ms');
    expect(table.sections[0]?.verdict).toContain('queue-redis: jobs waited 2.0 ms');
  });

  it('names the backends in the reports, the HTML charts and a threshold', () => {
    expect(renderMarkdown(results, table, 'cmd')).toContain(
      'the queue scenarios ran once per backend — postgres, redis —',
    );
    const html = renderHtml(results, table, 'cmd');
    expect(html).toContain("'queue-redis': '#b5179e'");
    expect(html).toContain('<td>queue-redis</td>');
    expect(
      evaluateThreshold(parseThreshold('hash.queue-redis.queue_wait<=0.5*hash.queue-postgres.queue_wait'), results),
    ).toMatchObject({ passed: true, detail: 'c=20: 2.00 <= 4.00 ok' });
  });

  it("plans the queue scenarios once per backend and every other mode once, on the first backend's server", () => {
    const options = {
      ...DEFAULT_OPTIONS,
      workloads: ['cpu'],
      modes: ['async', 'queue'],
      connections: [4],
      queueBackends: ['postgres', 'redis'] as QueueBackendName[],
    };
    const plan = planScenarios(options).map((s) => `${s.mode}${s.queueBackend ? `@${s.queueBackend}` : ''}`);
    expect(plan).toEqual(['async', 'queue@postgres', 'queue@redis']);
    // Without the option nothing is labelled: the server's own backend.
    expect(planScenarios({ ...options, queueBackends: [] }).map((s) => s.queueBackend)).toEqual([undefined, undefined]);
  });
});

describe("a queue scenario's split over its runs", () => {
  /** A run with the given queue window: `p99` null = the p99 fell in the unbounded last bucket. */
  const runWith = (jobs: number, waitMs: number | null, runMs: number | null, p99: number | null = 50) => ({
    ...fixedRun(30, 5),
    queue: {
      jobs,
      wait: { count: jobs, meanMs: waitMs, p99AtMostMs: p99 },
      processing: { count: runMs === null ? 0 : jobs, meanMs: runMs, p99AtMostMs: p99 },
    },
  });

  it('counts the jobs of every run and takes the median of the runs’ means, leaving out runs that counted none', () => {
    const summary = summarizeQueue([
      runWith(10, 4, 20),
      runWith(30, 8, 40),
      runWith(20, 6, 30),
      // A run with no job has no p99 either (queueWindow gives null): it must not take the others' bound away.
      runWith(0, null, null, null),
    ]);
    // By hand: 10 + 30 + 20 = 60 jobs; wait means 4, 8, 6 → median 6 (4 … 8); runs 20, 40, 30 → 30.
    expect(summary).toEqual({
      jobs: 60,
      waitMs: { median: 6, min: 4, max: 8 },
      processingMs: { median: 30, min: 20, max: 40 },
      waitP99AtMostMs: { median: 50, min: 50, max: 50 },
      processingP99AtMostMs: { median: 50, min: 50, max: 50 },
    });
  });

  it('claims no p99 bound when one run’s p99 fell in the unbounded last bucket', () => {
    const summary = summarizeQueue([runWith(10, 4, 20), runWith(10, 4, 20, null)]);
    expect(summary?.waitP99AtMostMs).toBeNull();
    expect(summary?.processingP99AtMostMs).toBeNull();
  });

  it('gives no split when no run counted a job, or when jobs waited but none finished its run in the window', () => {
    expect(summarizeQueue([runWith(0, null, null)])).toBeNull();
    expect(summarizeQueue([{ ...fixedRun(30, 5), queue: null }])).toBeNull();
    // 5 jobs waited (a wait mean) but none ended its processing inside the window (no processing mean).
    expect(summarizeQueue([runWith(5, 3, null)])).toBeNull();
  });
});

describe('the verdict on queue backends', () => {
  const noNoise = () => '';

  it('compares each backend with the first, by median throughput', () => {
    const postgres = queueScenario(20, { jobs: 100, waitMs: 8, runMs: 25 }, 'postgres');
    const redis = queueScenario(30, { jobs: 150, waitMs: 2, runMs: 25 }, 'redis');
    // By hand: 30 ÷ 20 req/s = 1.5×.
    expect(
      queueParts(
        [
          ['queue-postgres', postgres],
          ['queue-redis', redis],
        ],
        noNoise,
      ),
    ).toContain('queue-redis serves 1.5× queue-postgres');
  });

  it('gives no ratio against a first backend that answered nothing (it would be a division by zero)', () => {
    const postgres = queueScenario(20, { jobs: 100, waitMs: 8, runMs: 25 }, 'postgres');
    const silent = { ...postgres, summary: { ...postgres.summary, ok: 0 } };
    const redis = queueScenario(30, { jobs: 150, waitMs: 2, runMs: 25 }, 'redis');
    const parts = queueParts(
      [
        ['queue-postgres', silent],
        ['queue-redis', redis],
      ],
      noNoise,
    );
    expect(parts.filter((p) => p.includes('serves'))).toEqual([]);
    // Where the jobs' time went is still said, for both.
    expect(parts).toHaveLength(2);
  });

  it('says nothing for a queue row whose server counted no job, and nothing at all without queue rows', () => {
    const postgres = queueScenario(20, { jobs: 100, waitMs: 8, runMs: 25 }, 'postgres');
    const uncounted = { ...postgres, summary: { ...postgres.summary, queue: null } };
    expect(queueParts([['queue', uncounted]], noNoise)).toEqual([]);
    expect(queueParts([], noNoise)).toEqual([]);
  });
});

describe('--queue-backends', () => {
  const refusal = (argv: string[]) => {
    try {
      parseOptions(argv);
    } catch (err) {
      if (err instanceof OptionsError) return err.message;
      throw err;
    }
    return 'accepted';
  };

  it('takes postgres and redis, each once, in the order given', () => {
    expect(parseOptions(['--queue-backends', 'redis,postgres,redis'])).toMatchObject({
      queueBackends: ['redis', 'postgres'],
    });
    expect(parseOptions([])).toMatchObject({ queueBackends: [] });
  });

  it('refuses a backend it does not know, naming the ones it does', () => {
    expect(refusal(['--queue-backends', 'postgres,kafka'])).toBe(
      '--queue-backends: "kafka" is not a queue backend (allowed: postgres, redis)',
    );
  });

  it('refuses the options it cannot go with', () => {
    expect(refusal(['--queue-backends', 'redis', '--url', 'http://127.0.0.1:3000'])).toMatch(
      /^--queue-backends starts a server per backend, so it cannot be combined with --url/,
    );
    expect(refusal(['--queue-backends', 'redis', '--modes', 'async,worker'])).toBe(
      '--queue-backends runs the queue scenarios once per backend, but --modes async,worker has no queue',
    );
    expect(refusal(['--queue-backends', 'redis', '--target', 'http://127.0.0.1:3000/x'])).toMatch(
      /^--target measures one endpoint .* takes no --queue-backends/,
    );
    expect(refusal(['--queue-backends', 'redis', '--faults'])).toMatch(
      /^--faults runs a fixed drill.*not --queue-backends/,
    );
    expect(refusal(['--queue-backends', 'redis', '--export', 'k6', 'dir'])).toMatch(
      /^--export writes scripts and runs nothing.*not --queue-backends/,
    );
  });
});
