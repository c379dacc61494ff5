import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer } from '../../lib/redis-server.ts';
import { runMatrix } from '../../loadtest/matrix.ts';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { renderReport } from '../../loadtest/report/render.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import { startStack, type TargetProvider } from '../../loadtest/stack/stack.ts';
import type { HarnessOptions, QueueBackendName, Results } from '../../loadtest/types.ts';
import { runCli } from './run-cli.ts';

// CI installs redis-server (.ci/run), so there a missing binary fails the Redis cases instead of skipping them.
const redisInstalled = hasRedisServer() || process.env['CI'] === 'true';
if (!redisInstalled)
  console.warn(
    'queue-harness.test.ts: redis-server is not installed (apt-get install redis-server): the --queue-backends runs are SKIPPED',
  );

/** What a server the harness started said about itself just before the harness stopped it. */
interface SeenServer {
  asked: QueueBackendName | undefined;
  /** Its own word on its queue backend (`GET /`). */
  backend: string | undefined;
  /** Queue-mode requests it answered in its whole life, whatever their status (its request-duration histogram). */
  queueRequests: number;
  /** Mean time its queue workers ran a job, over its whole life, from its own processing histogram. */
  processingMeanMs: number;
}

/** Sums `looplab_request_duration_seconds_count` over every series with mode="queue". */
function queueRequestCount(metrics: string): number {
  let total = 0;
  for (const m of metrics.matchAll(/^looplab_request_duration_seconds_count\{([^}]*)\} (\S+)$/gm)) {
    if ((m[1] ?? '').includes('mode="queue"')) total += Number(m[2]);
  }
  return total;
}

/** The mean of `looplab_queue_processing_seconds` over every workload, in ms. */
function processingMeanMs(metrics: string): number {
  const total = (part: 'sum' | 'count') =>
    [...metrics.matchAll(new RegExp(`^looplab_queue_processing_seconds_${part}\\{[^}]*\\} (\\S+)$`, 'gm'))].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  return (total('sum') / total('count')) * 1000;
}

/**
 * The real stack, with each server read by the test itself before it is stopped: its backend and its
 * own count of queue requests, independent of the two scrapes the harness takes around each window.
 */
function watched(targets: TargetProvider, seen: SeenServer[]): TargetProvider {
  return {
    async start(workers, processes, queueBackend) {
      const target = await targets.start(workers, processes, queueBackend);
      return {
        origin: target.origin,
        blameUrl: target.blameUrl,
        async stop() {
          const index = (await (await fetch(`${target.origin}/`)).json()) as {
            server?: { queue?: { backend?: string } };
          };
          const metrics = await (await fetch(`${target.origin}/metrics`)).text();
          seen.push({
            asked: queueBackend,
            backend: index.server?.queue?.backend,
            queueRequests: queueRequestCount(metrics),
            processingMeanMs: processingMeanMs(metrics),
          });
          await target.stop();
        },
      };
    },
    close: () => targets.close(),
  };
}

/**
 * A tiny queue matrix: the open model (every request answered in the drain, none cut off by the end of
 * the window) and no warm-up, so every queue request the server ever answered was one of the window's.
 */
const TINY: HarnessOptions = {
  ...DEFAULT_OPTIONS,
  workloads: ['cpu'],
  modes: ['queue'],
  params: { cpu: { n: '1000' } },
  rates: [10],
  connections: [],
  duration: 2,
  warmup: 0,
  blame: false,
};

async function runWatched(options: HarnessOptions): Promise<{ results: Results; seen: SeenServer[] }> {
  const seen: SeenServer[] = [];
  const stack = watched(await startStack({ queue: true }), seen);
  try {
    return { results: await runMatrix(options, stack), seen };
  } finally {
    await stack.close();
  }
}

describe('queue mode in the harness, against the real stack', () => {
  it('counts exactly the jobs the server says it ran, and splits their time into queue wait and processing', async () => {
    const { results, seen } = await runWatched(TINY);
    expect(results.scenarios.map((s) => `${s.scenario.workload}/${s.scenario.mode}`)).toEqual(['cpu/queue']);
    const [scenario] = results.scenarios;
    const run = scenario?.runs[0];
    expect(seen).toHaveLength(1);
    expect(seen[0]?.backend).toBe('postgres');
    // The harness's count (wait-histogram delta over the window) is the server's own count of queue
    // requests over its whole life, and every one of them was a 2xx answer of the window.
    expect(seen[0]?.queueRequests).toBeGreaterThan(0);
    expect(run?.queue?.jobs).toBe(seen[0]?.queueRequests);
    expect(run?.queue?.processing.count).toBe(seen[0]?.queueRequests);
    expect(run?.ok).toBe(seen[0]?.queueRequests);
    expect(run?.queue?.wait.meanMs).toBeGreaterThan(0);
    // The server's own mean (to the microsecond the harness rounds to), not merely a number ≥ 0.
    expect(seen[0]?.processingMeanMs).toBeGreaterThan(0);
    expect(run?.queue?.processing.meanMs).toBeCloseTo(seen[0]?.processingMeanMs ?? Number.NaN, 2);
    expect(scenario?.summary.queue).toMatchObject({
      jobs: run?.queue?.jobs,
      waitMs: { median: run?.queue?.wait.meanMs },
      processingMs: { median: run?.queue?.processing.meanMs },
    });
    const table = buildTable(results);
    const cells = table.sections[0]?.rows[0]?.slice(
      table.headers.indexOf('queue jobs'),
      table.headers.indexOf('queue run') + 1,
    );
    expect(cells?.[0]).toBe(String(seen[0]?.queueRequests));
    expect(cells?.slice(1).every((c) => / ms$/.test(c))).toBe(true);
  }, 240_000);

  it.skipIf(!redisInstalled)(
    'runs the queue scenarios once per backend, each on a server of that backend, and the other modes once',
    async () => {
      const { results, seen } = await runWatched({
        ...TINY,
        modes: ['async', 'queue'],
        queueBackends: ['postgres', 'redis'],
      });
      expect(
        results.scenarios.map(
          (s) => `${s.scenario.mode}${s.scenario.queueBackend ? `@${s.scenario.queueBackend}` : ''}`,
        ),
      ).toEqual(['async', 'queue@postgres', 'queue@redis']);
      // Each server's own word on its backend is the one asked for.
      expect(seen.map((s) => [s.asked, s.backend])).toEqual([
        ['postgres', 'postgres'],
        ['redis', 'redis'],
      ]);
      const queues = results.scenarios.filter((s) => s.scenario.mode === 'queue');
      expect(queues.map((s) => s.runs[0]?.queue?.jobs)).toEqual(seen.map((s) => s.queueRequests));
      expect(seen.every((s) => s.queueRequests > 0)).toBe(true);
      const terminal = renderReport(results, 'terminal');
      expect(terminal).toMatch(/^queue-postgres /m);
      expect(terminal).toMatch(/^queue-redis /m);
      expect(terminal).toMatch(/queue-redis serves \S+ queue-postgres/);
    },
    300_000,
  );
});

describe('npm run loadtest -- --queue-backends', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'looplab-queue-harness-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('refuses in one line, with exit 2 and nothing started, when redis-server is not installed and REDIS_URL is not set', async () => {
    const { REDIS_URL: _unset, ...env } = process.env;
    // A PATH with no redis-server on it (node itself is started by its full path).
    const outcome = await runCli(['--queue-backends', 'postgres,redis', '--out', out], { env: { ...env, PATH: out } });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(
      'loadtest: --queue-backends redis starts a redis-server, and none is installed (Debian: apt-get install redis-server), or set REDIS_URL to a running Redis\n(see npm run loadtest -- --help)\n',
    );
    expect(await readdir(out)).toEqual([]);
  });

  it.skipIf(!redisInstalled)(
    'labels the rows by backend in the table, report.md, report.html and results.json',
    async () => {
      const { REDIS_URL: _unset, ...env } = process.env;
      const args = [
        '--queue-backends',
        'postgres,redis',
        '--workloads',
        'cpu',
        '--modes',
        'worker,queue',
        '--params',
        'cpu.n=1000',
        '--rate',
        '10',
        '--duration',
        '1',
        '--warmup',
        '0',
        '--no-blame',
        '--out',
        out,
      ];
      const outcome = await runCli(args, { env, timeoutMs: 240_000 });
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stdout).toMatch(/^worker +.* — +— +— /m);
      expect(outcome.stdout).toMatch(/^queue-postgres +/m);
      expect(outcome.stdout).toMatch(/^queue-redis +/m);
      const [dir] = await readdir(out);
      const read = (name: string) => readFile(join(out, dir ?? '', name), 'utf8');
      const results = JSON.parse(await read('results.json')) as Results;
      expect(results.options.queueBackends).toEqual(['postgres', 'redis']);
      expect(
        results.scenarios.map((s) => [s.scenario.mode, s.scenario.queueBackend ?? null, s.runs[0]?.queue === null]),
      ).toEqual([
        ['worker', null, true],
        ['queue', 'postgres', false],
        ['queue', 'redis', false],
      ]);
      const md = await read('report.md');
      // A row may carry the " *" flag (generator- or machine-bound) on a busy machine: that is the
      // report being right about the run, not the label being wrong.
      expect(md).toMatch(/^\| queue-redis( \*)? \| /m);
      expect(md).toContain('the queue scenarios ran once per backend — postgres, redis —');
      expect(await read('report.html')).toMatch(/<td>queue-postgres( \*)?<\/td>/);
    },
    300_000,
  );
});
