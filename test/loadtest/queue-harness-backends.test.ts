import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer } from '../../lib/redis-server.ts';
import { renderReport } from '../../loadtest/report/render.ts';
import type { Results } from '../../loadtest/types.ts';
import { runWatched, TINY } from './queue-harness-watch.ts';
import { runCli } from './run-cli.ts';

/**
 * --queue-backends postgres,redis: the queue scenarios once per backend, each on a server of its own
 * backend, labelled in every report. Two stacks per run, so e2e; one backend end to end is
 * queue-harness.test.ts's, in the fast tier.
 */

// CI installs redis-server (.ci/run), so there a missing binary fails these cases instead of skipping them.
const redisInstalled = hasRedisServer() || process.env['CI'] === 'true';
if (!redisInstalled)
  console.warn(
    'queue-harness-backends.test.ts: redis-server is not installed (apt-get install redis-server): the --queue-backends runs are SKIPPED',
  );

describe('queue mode in the harness, on both backends', () => {
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

describe('npm run loadtest -- --queue-backends postgres,redis', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'looplab-queue-backends-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
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
