import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import type { Results } from '../../loadtest/types.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { proxiedDatabase, proxiedUpstream, type TcpProxy } from '../helpers/tcp-proxy.ts';

/**
 * Where the harness gets its server and dependencies: an existing server (`--url`), servers it
 * restarts per worker-pool size (`--workers`), an existing database and upstream (`DATABASE_URL`,
 * `UPSTREAM_URL`), or embedded ones of its own — also when two runs start at once. Only where the
 * load went is asserted, counted at the server or at proxies, never how fast it was.
 */
const execFileAsync = promisify(execFile);
let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'looplab-targets-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** Runs `loadtest/cli.ts` on a tiny matrix and returns its results.json. */
async function loadtest(args: string[], env: Record<string, string> = {}): Promise<Results> {
  const dir = await mkdtemp(join(out, 'run-'));
  const tiny = ['--duration', '1', '--warmup', '0', '--connections', '2', '--out', dir];
  // The CLI refuses an option given twice, so the tiny fetch delay joins any --params the test passes.
  const at = args.indexOf('--params');
  const withParams =
    at === -1
      ? [...args, '--params', 'fetch.delay=5']
      : args.map((arg, i) => (i === at + 1 ? `${arg},fetch.delay=5` : arg));
  await execFileAsync(process.execPath, [...typeScriptLoaderArgs(), 'loadtest/cli.ts', ...tiny, ...withParams], {
    env: { ...process.env, ...env },
    timeout: 150_000,
  });
  const [stamp] = await readdir(dir);
  return JSON.parse(await readFile(join(dir, stamp ?? '', 'results.json'), 'utf8')) as Results;
}

describe('--url', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    server?.kill();
    await server?.exited;
  });

  it('loads the server at that URL, starts nothing, and leaves it running', async () => {
    const results = await loadtest(['--url', server.url, '--workloads', 'fetch', '--modes', 'async']);
    expect(results.environment.serverStartedByHarness).toBe(false);
    const run = results.scenarios[0]?.runs[0];
    const completed = run ? run.ok + run.non2xx : 0;
    expect(completed).toBeGreaterThan(0);
    // The server itself counted the load: every completed request, and the warm-up is off.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const counted = Number(
      /^looplab_request_duration_seconds_count\{workload="fetch",mode="async",status="200"\} (\d+)$/m.exec(
        metrics,
      )?.[1],
    );
    expect(counted).toBeGreaterThanOrEqual(completed);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  }, 180_000);
});

describe('DATABASE_URL, UPSTREAM_URL and --workers', () => {
  let db: { proxy: TcpProxy; url: string };
  let upstream: { proxy: TcpProxy; url: string };
  beforeAll(async () => {
    db = await proxiedDatabase(inject('databaseUrl'));
    upstream = await proxiedUpstream(inject('upstreamUrl'));
  });
  afterAll(async () => {
    await db.proxy.close();
    await upstream.proxy.close();
  });

  it('uses the given database and upstream, and restarts the server with each worker-pool size', async () => {
    const results = await loadtest(
      ['--workloads', 'fetch,db', '--modes', 'worker', '--workers', '1,2', '--params', 'db.sleep=5'],
      { DATABASE_URL: db.url, UPSTREAM_URL: upstream.url },
    );
    expect(results.environment.serverStartedByHarness).toBe(true);
    // Every database connection and upstream call went through the proxies: nothing embedded was used.
    expect((await db.proxy.stats()).accepted).toBeGreaterThan(0);
    expect((await upstream.proxy.stats()).calls).toBeGreaterThan(0);
    // The bound names the worker count of the server that ran each scenario.
    const bases = results.scenarios.map((s) => `${s.scenario.workload} w=${s.scenario.workers}: ${s.bound?.basis}`);
    expect(bases).toEqual([
      expect.stringMatching(/^fetch w=1: .*\b1 workers\b/),
      expect.stringMatching(/^db w=1: .*\b1 workers\b/),
      expect.stringMatching(/^fetch w=2: .*\b2 workers\b/),
      expect.stringMatching(/^db w=2: .*\b2 workers\b/),
    ]);
    for (const s of results.scenarios)
      expect({ errors: s.summary.errors, non2xx: s.summary.non2xx }).toEqual({ errors: 0, non2xx: 0 });
  }, 180_000);

  it("restarts the server with each process count, and reads each process's event loop", async () => {
    const results = await loadtest(['--workloads', 'fetch', '--modes', 'blocking', '--processes', '1,2'], {
      DATABASE_URL: db.url,
      UPSTREAM_URL: upstream.url,
    });
    // The bound counts the blocking event loops of the server that ran each scenario.
    expect(results.scenarios.map((s) => `p=${s.scenario.processes}: ${s.bound?.basis}`)).toEqual([
      expect.stringMatching(/^p=1: 1 request at a time\b/),
      expect.stringMatching(/^p=2: 2 processes × 1 request at a time\b/),
    ]);
    const [single, cluster] = results.scenarios.map((s) => s.runs[0]?.server);
    // One process: the figures as before, no per-process list. Two: one entry per process, whose
    // worst delay is the total's.
    expect(single).not.toHaveProperty('processes');
    expect(cluster?.processes).toHaveLength(2);
    expect(Math.max(...(cluster?.processes ?? []).map((p) => p.eventLoopDelayMaxMs))).toBe(
      cluster?.eventLoopDelayMaxMs,
    );
    for (const s of results.scenarios)
      expect({ errors: s.summary.errors, non2xx: s.summary.non2xx }).toEqual({ errors: 0, non2xx: 0 });
  }, 180_000);
});

it('runs twice at once, each on an embedded database of its own, and removes the throw-away one', async () => {
  const dataDirs = async () =>
    (await readdir('.looplab').catch(() => [])).filter((d) => d.startsWith('postgres-loadtest-'));
  const before = await dataDirs();
  const args = ['--workloads', 'fetch', '--modes', 'async'];
  // Had both used one data directory, the second PostgreSQL could not start and its run would fail.
  const [first, second] = await Promise.all([loadtest(args), loadtest(args)]);
  for (const results of [first, second]) expect(results.scenarios[0]?.summary.rps.median).toBeGreaterThan(0);
  expect(await dataDirs()).toEqual(before);
}, 240_000);
