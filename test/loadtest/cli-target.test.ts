import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import { OptionsError } from '../../loadtest/cli/options-error.ts';
import { prepareRun } from '../../loadtest/cli/prepare.ts';
import type { Results } from '../../loadtest/types.ts';
import { runCli, STACK_LINE } from './run-cli.ts';

const NOT_LOOPLAB = 'not looplab: no event-loop figures, bounds or verdicts';

/**
 * `--target` against a server that is not looplab: a plain `node:http` server written here, counting
 * what it answered, measured by the real CLI in a child process. Counts are compared at the server;
 * no speed is asserted.
 */
describe('npm run loadtest --target against a server that is not looplab', () => {
  let server: Server;
  let origin: string;
  let out: string;
  const hits = { work: 0, probe: 0, other: 0 };
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/work?size=3') {
        hits.work++;
        res.end('done');
      } else if (req.url === '/healthz') {
        hits.probe++;
        res.end('ok');
      } else {
        hits.other++;
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    out = await mkdtemp(join(tmpdir(), 'looplab-target-'));
  });
  beforeEach(() => {
    Object.assign(hits, { work: 0, probe: 0, other: 0 });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(out, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<{ code: number; stderr: string; results: Results; dir: string }> {
    const before = new Set(await readdir(out));
    const { code, stdout, stderr } = await runCli([
      '--target',
      `${origin}/work?size=3`,
      '--duration',
      '2',
      '--warmup',
      '0',
      '--out',
      out,
      '--json',
      ...args,
    ]);
    const dir = (await readdir(out)).find((d) => !before.has(d));
    if (!dir) throw new Error(`no report written: ${stderr}`);
    return { code, stderr, results: JSON.parse(stdout) as Results, dir: join(out, dir) };
  }

  it("--quiet leaves out the progress line written every 5 s, and keeps the line at each run's start", async () => {
    // A 6 s window outlasts the 5 s interval of the plain progress line a log gets without --quiet.
    const args = ['--target', `${origin}/work?size=3`, '--connections', '2', '--duration', '6', '--warmup', '0'];
    const ticking = / — measuring \d+\/\d+ s, \d+ requests/;
    const loud = await runCli([...args, '--out', out]);
    expect(loud.stderr).toMatch(ticking);
    const quiet = await runCli([...args, '--out', out, '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(ticking);
    expect(quiet.stderr).toMatch(/ — about .+ left\n/);
  }, 90_000);

  it('--no-html writes results.json and report.md, not report.html, and says which it wrote', async () => {
    const { code, stderr, dir } = await run(['--connections', '2', '--no-html']);
    expect(code, stderr).toBe(EXIT.ok);
    expect((await readdir(dir)).sort()).toEqual(['report.md', 'results.json']);
    expect(stderr).toMatch(/reports in .+\/ \(results\.json, report\.md\)\n/);
  }, 60_000);

  it('closed model: req/s is what the server answered in the window, the probe was hit, server figures are null and the reports say so', async () => {
    const connections = 4;
    const { code, stderr, results, dir } = await run([
      '--connections',
      String(connections),
      '--probe',
      '/healthz',
      '--threshold',
      'target.errors<=0',
    ]);
    expect(code, stderr).toBe(EXIT.ok);
    expect(results.scenarios).toHaveLength(1);
    const [scenario] = results.scenarios;
    const r = scenario!.runs[0]!;
    expect(scenario!.scenario).toMatchObject({ workload: '/work?size=3', path: '/work?size=3', connections });
    // One request checks the URL before any load; the closed model does not count the answers still in
    // flight on each connection when it stops.
    const inWindow = hits.work - 1;
    expect(r.okInWindow).toBeGreaterThan(0);
    expect(inWindow - r.okInWindow).toBeGreaterThanOrEqual(0);
    expect(inWindow - r.okInWindow).toBeLessThanOrEqual(connections);
    expect(r.rps * r.windowSeconds).toBeCloseTo(r.okInWindow, 6);
    expect(hits.other).toBe(0);
    // The canary asked for the probe path only (settling asks it too), from its own process.
    expect(r.health.samples).toBeGreaterThan(0);
    expect(hits.probe).toBeGreaterThanOrEqual(r.health.samples);
    expect(r.server).toBeNull();
    expect(scenario!.summary.eventLoopUtilization).toBeNull();
    expect(scenario!.bound).toBeNull();
    expect(results.environment.server).toBeNull();
    expect(stderr).toContain(`loadtest: measuring ${origin}/work?size=3 — ${NOT_LOOPLAB}`);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain(NOT_LOOPLAB);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain(NOT_LOOPLAB);
  });

  it('open model: every 2xx the server sent is counted, a gate on a missing figure fails saying why, and without --probe the canary is empty', async () => {
    const { code, stderr, results } = await run(['--rate', '40', '--threshold', 'target.loop_busy<80']);
    const r = results.scenarios[0]!.runs[0]!;
    expect(r.model).toBe('open');
    expect(r.abandoned + r.dropped + r.errors + r.timeouts).toBe(0);
    // The open model keeps the answers that came in after the window too: all of them, exactly.
    expect(r.ok).toBe(hits.work - 1);
    expect(r.okInWindow).toBeLessThanOrEqual(r.ok);
    expect(r.rps * r.windowSeconds).toBeCloseTo(r.okInWindow, 6);
    expect(hits.probe + hits.other).toBe(0);
    expect(r.health.samples).toBe(0);
    expect(stderr).toContain('no --probe given, so the canary (/health p99) column is empty');
    expect(code).toBe(EXIT.thresholdFailed);
    expect(stderr).toContain(
      "threshold FAILED: target.loop_busy<80 — 40/s: target.loop_busy not measured (it needs looplab's /metrics",
    );
  });

  it('says in one sentence when nothing answers at the target', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr } = await runCli([
      '--target',
      `http://127.0.0.1:${port}/x`,
      '--duration',
      '1',
      '--warmup',
      '0',
      '--out',
      out,
    ]);
    expect(code).toBe(EXIT.couldNotRun);
    expect(stderr).toContain(`loadtest: --target: nothing answers at http://127.0.0.1:${port}/x (ECONNREFUSED)`);
    expect(stderr).not.toMatch(STACK_LINE);
  });
});

describe('--target refuses what needs looplab, in one line', () => {
  it.each([
    [
      ['--target', 'http://127.0.0.1:1/', '--url', 'http://127.0.0.1:1'],
      '--target measures one endpoint of a server that is not looplab, so it takes no --url',
    ],
    [
      ['--target', 'http://127.0.0.1:1/', '--workloads', 'hash', '--modes', 'async'],
      'so it takes no --workloads, --modes',
    ],
    [['--target', 'http://127.0.0.1:1/', '--workload-file', './w.ts'], 'takes no --workload-file'],
    [['--target', 'http://127.0.0.1:1/', '--params', 'a.b=1'], 'takes no --params'],
    [['--target', 'http://127.0.0.1:1/', '--workers', '2'], 'takes no --workers'],
    [['--target', 'http://127.0.0.1:1/', '--processes', '2'], 'takes no --processes'],
    [['--target', 'http://127.0.0.1:1/', '--faults'], 'takes no --faults'],
    [['--probe', '/health'], '--probe goes with --target'],
    [['--target', 'ftp://x/'], '--target: only http: and https: are supported'],
    [['--target', 'http://127.0.0.1:1/', '--probe', 'health'], '--probe: "health" is not a path'],
  ])('%j', async (args, message) => {
    // The CLI's own pre-start checks, in-process (the child process below shows it prints the line and exits 2).
    const refused = await prepareRun([...args, '--out', '/nonexistent/never-written'], {}).then(
      () => new Error('not refused'),
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(OptionsError);
    expect((refused as Error).message.split('\n')[0]).toContain(message);
  });

  it('is refused by the CLI with exit 2 and that one line first, no stack trace', async () => {
    const { code, stderr } = await runCli([
      '--target',
      'http://127.0.0.1:1/',
      '--url',
      'http://127.0.0.1:1',
      '--out',
      '/nonexistent/never-written',
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim().split('\n')[0]).toContain(
      '--target measures one endpoint of a server that is not looplab, so it takes no --url',
    );
    expect(stderr).not.toMatch(STACK_LINE);
  });
});
