import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTable } from '../../loadtest/report/table.ts';
import { runWatched, TINY } from './queue-harness-watch.ts';
import { runCli } from './run-cli.ts';

/**
 * Queue mode end to end on one backend (PostgreSQL, the default): the fast tier's witness. Both
 * backends side by side, labelled in every report, are queue-harness-backends.test.ts's (e2e).
 */
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
      'loadtest: --queue-backends redis starts a redis-server, and none is installed (Debian: apt-get install ' +
        'redis-server), or set REDIS_URL to a running Redis\n(see npm run loadtest -- --help)\n',
    );
    expect(await readdir(out)).toEqual([]);
  });
});
