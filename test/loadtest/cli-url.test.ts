import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { runCli, STACK_LINE } from './run-cli.ts';

/** The smallest real run: one scenario, one second, no warm-up. */
const TINY = ['--duration', '1', '--warmup', '0', '--workloads', 'fetch', '--modes', 'async'];

function npm(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', args, { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

/**
 * The CLI as a user runs it against a server of their own (`--url`): the real app on port 0 with real
 * pools, and the real CLI in a child process. Only what the user is told and the exit code are
 * asserted, never speed.
 */
describe('npm run loadtest --url against a running server', () => {
  let app: TestApp;
  let out: string;
  beforeAll(async () => {
    app = await startTestApp();
    out = await mkdtemp(join(tmpdir(), 'looplab-cli-'));
  });
  afterAll(async () => {
    await app.close();
    await rm(out, { recursive: true, force: true });
  });

  /** `npm <run…> loadtest -- --json` on the tiny run against the app: with `-s` or without it. */
  const loadtestJson = (run: readonly string[]) =>
    npm([...run, 'loadtest', '--', '--json', '--url', app.url, ...TINY, '--out', out]);

  it('with `npm run -s … --json` writes only the results JSON to stdout and every human line to stderr', async () => {
    const { code, stdout, stderr } = await loadtestJson(['run', '-s']);
    expect(code).toBe(EXIT.ok);
    const results = JSON.parse(stdout) as { schema: string; scenarios: unknown[] };
    expect(results.schema).toBe('looplab-loadtest/3');
    expect(results.scenarios).toHaveLength(1);
    expect(stderr).toContain('loadtest: 1 scenario(s): about ');
    expect(stderr).toContain(`loadtest: waiting for ${app.url} to answer /ready…`);
    // Not a terminal: plain progress lines, no control characters.
    expect(stderr).toMatch(/^\[1\/1\] fetch\/async at 20 connections — about \d+ s left$/m);
    expect(stderr).not.toContain('\x1b');
    expect(stderr).toMatch(/loadtest: reports in .+ \(results\.json, report\.md, report\.html\)/);
    expect(stderr).not.toContain('npm printed its');
    // The parameters were also checked against the server's own index, which it read.
    expect(stderr).not.toContain('gave no parameter index');
  });

  it('says how to get JSON only when npm printed its banner on stdout', async () => {
    const { code, stdout, stderr } = await loadtestJson(['run']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^\s*> looplab@[\d.]+ loadtest/);
    expect(stderr).toContain(
      'loadtest: npm printed its "> looplab@… loadtest" banner on stdout before this JSON; use `npm run -s loadtest -- --json …` for JSON only',
    );
  });

  it('exits 1 when a threshold fails, comparing loop_busy in percent (a fraction would never exceed 1)', async () => {
    const { code, stderr } = await runCli([
      '--url',
      app.url,
      ...TINY,
      '--out',
      out,
      '--threshold',
      'fetch.async.loop_busy<=100',
      '--threshold',
      'fetch.async.loop_busy>0.5',
      '--threshold',
      'fetch.async.rps>1000000',
    ]);
    expect(stderr).toMatch(/threshold passed: fetch\.async\.loop_busy<=100 — c=20: \d+\.\d\d <= 100\.00 ok/);
    // 20 connections of fetch keep the loop more than half a per cent busy; read as a fraction, 0.5 would mean 50%.
    expect(stderr).toMatch(/threshold passed: fetch\.async\.loop_busy>0\.5/);
    expect(stderr).toMatch(/threshold FAILED: fetch\.async\.rps>1000000/);
    expect(code).toBe(EXIT.thresholdFailed);
  });

  it('draws a live progress line on a terminal: phase, elapsed, requests and errors so far', async (ctx) => {
    if (spawnSync('script', ['--version']).status !== 0) {
      console.warn('skipped: util-linux `script` (to give the CLI a terminal) is not installed');
      ctx.skip();
    }
    const command = [
      process.execPath,
      ...typeScriptLoaderArgs(),
      'loadtest/cli.ts',
      '--url',
      app.url,
      '--duration',
      '3',
      '--warmup',
      '1',
      '--workloads',
      'fetch',
      '--modes',
      'async',
      '--out',
      out,
      '--json',
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    // `script` runs the command on a pseudo-terminal; stdout goes to /dev/null so only stderr's progress
    // shows. Asynchronously: the server under test runs in this process and must keep answering.
    const tty = await new Promise<{ status: number; stdout: string }>((resolve) => {
      execFile('script', ['-qfec', `${command} > /dev/null`, '/dev/null'], { timeout: 60_000 }, (err, stdout) =>
        resolve({ status: err ? Number(err.code) : 0, stdout }),
      );
    });
    expect(tty.status).toBe(0);
    const frames = tty.stdout.split('\r\x1b[2K');
    expect(
      frames.some((f) =>
        /^\[1\/1\] fetch\/async at 20 connections — warm-up [01]\/1 s, \d+ requests, \d+ errors — about \d+ s left/.test(
          f,
        ),
      ),
    ).toBe(true);
    const measuring = frames.flatMap((f) => /measuring (\d)\/3 s, (\d+) requests, (\d+) errors/.exec(f) ?? []);
    expect(measuring.length).toBeGreaterThan(1);
    expect(tty.stdout).toMatch(
      /\[1\/1\] fetch\/async at 20 connections — done in \d+ s: [1-9]\d* requests, 0 errors measured\r?\n/,
    );
  });
});

describe('a run whose scenarios were answered mostly with errors', () => {
  let app: TestApp;
  let out: string;
  beforeAll(async () => {
    // Every fetch below waits 1 s upstream, past this server's 200 ms deadline: each answer is a 504.
    app = await startTestApp({ requestTimeoutMs: 200 });
    out = await mkdtemp(join(tmpdir(), 'looplab-cli-'));
  });
  afterAll(async () => {
    await app.close();
    await rm(out, { recursive: true, force: true });
  });

  it('exits 3 and says so in a plain sentence, still writing the reports', async () => {
    const { code, stderr } = await runCli([
      '--url',
      app.url,
      '--params',
      'fetch.delay=1000',
      '--connections',
      '2',
      ...TINY,
      '--out',
      out,
    ]);
    expect(stderr).toMatch(
      /loadtest: warning: fetch\/async at 2 connections: 100% of \d+ requests failed \(\d+ non-2xx answers, 0 connection errors\)/,
    );
    expect(stderr).toContain(
      'loadtest: 1 of 1 scenario(s) were answered mostly with errors, so these figures describe failures, not the workloads',
    );
    expect(stderr).toMatch(/loadtest: reports in /);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code).toBe(EXIT.measuredFailures);
    const [dir] = await import('node:fs/promises').then((fs) => fs.readdir(out));
    expect(JSON.parse(await readFile(join(out, dir ?? '', 'results.json'), 'utf8'))).toMatchObject({
      schema: 'looplab-loadtest/3',
    });
  });
});
