import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { runCli, SIDE_BY_SIDE_GUARD_MS, STACK_LINE } from './run-cli.ts';

/**
 * The mistakes a new user makes first, each against the real CLI in a child process: every one is
 * answered with one plain sentence and a distinct exit code, before any process or load is started.
 * The refusal cases share nothing (the second group only reads its server), so they run side by side,
 * a group at a time: each is a child process's start-up, and one after another they were most of this
 * file's time.
 */
describe('the CLI refuses a bad command line at once, starting nothing', () => {
  it.concurrent.each([
    [['--params', 'fetch.delay'], 'loadtest: --params: "fetch.delay" is not of the form workload.param=value'],
    [
      ['--workload', './my-work.ts', '--url', 'http://127.0.0.1:1'],
      'loadtest: --workload loads files into the server the harness starts',
    ],
    [
      ['--workloads', 'hash', '--workloads', 'fetch'],
      'loadtest: --workloads is given more than once; give one comma-separated list instead',
    ],
    [
      ['--faults', '--workloads', 'hash'],
      'it takes only --rate (one value), --duration (seconds per phase), --out and --json, not --workloads',
    ],
    [['--faults', '--threshold', 'db.async.p99<100'], 'not --threshold (the fault run evaluates no thresholds)'],
    [['--compare', 'README.md'], 'loadtest: --compare: README.md is not JSON'],
    [
      ['--compare', 'package.json'],
      'loadtest: --compare: package.json is not a looplab results.json (schema looplab-loadtest/2 or looplab-loadtest/3)',
    ],
    [['--compare', 'no/such/results.json'], 'loadtest: --compare: cannot read no/such/results.json: ENOENT'],
    [['--threshold', 'fetch.async.loop_busy<eighty'], '"eighty" is not workload.mode.metric'],
  ])(
    '%j',
    async (args, message) => {
      const { code, stdout, stderr } = await runCli([...args, '--out', '/nonexistent/never-written']);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(STACK_LINE);
      expect(stderr).not.toContain('starting embedded PostgreSQL');
      expect(stdout).toBe('');
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it.concurrent(
    'refuses to --compare with a schema-1 results file, whose req/s counted refusals, in one line',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'looplab-compare-'));
      const old = join(dir, 'results.json');
      await writeFile(old, '{"schema":"looplab-loadtest/1","scenarios":[]}');
      try {
        const { code, stdout, stderr } = await runCli(['--compare', old, '--out', '/nonexistent/never-written']);
        expect(code).toBe(EXIT.usage);
        expect(stderr).toContain(
          `loadtest: --compare: ${old} was written by an older looplab (schema looplab-loadtest/1`,
        );
        expect(stderr).not.toMatch(STACK_LINE);
        expect(stdout).toBe('');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it.concurrent(
    'refuses an --out that cannot hold the reports before the run, not after it',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'looplab-out-'));
      const file = join(dir, 'a-file');
      await writeFile(file, '');
      try {
        const { code, stderr } = await runCli(['--out', join(file, 'results'), '--url', 'http://127.0.0.1:1']);
        expect(code).toBe(EXIT.usage);
        expect(stderr).toContain(
          `loadtest: --out: ${file} is not a directory, so ${join(file, 'results')} cannot hold the reports`,
        );
        expect(stderr).not.toContain('waiting for');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it.concurrent(
    'lists the threshold metrics with their units and the exit codes in --help',
    async () => {
      const { code, stdout } = await runCli(['--help']);
      expect(code).toBe(EXIT.ok);
      for (const metric of [
        'rps (req/s)',
        'p99 (ms)',
        'health_p99',
        'loop_delay_p99',
        'loop_busy (% of the run, 0..100)',
        'efficiency (% of',
      ]) {
        expect(stdout.replace(/\s+/g, ' ')).toContain(metric);
      }
      expect(stdout).toMatch(
        /Exit codes:\n {2}0 {4}.+\n {2}1 {4}a --threshold did not hold\n {2}2 .+\n {2}3 .+\n {2}4 .+\n(?: {7}.+\n)* {2}130 /,
      );
      expect(stdout).toContain('npm run -s loadtest -- --json');
    },
    SIDE_BY_SIDE_GUARD_MS,
  );
});

describe('what the server would refuse is refused before any load, exit 2, in its words', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it.concurrent.each([
    [
      ['--params', 'fetch.url=http://x'],
      'loadtest: --params: fetch: unknown parameter "url"; known parameters: fetch.delay, fetch.bytes, fetch.count',
    ],
    [
      ['--params', 'db.queries=100,db.sleep=400'],
      'queries × sleep must not exceed 30000 ms; sleep allowed: whole number 0..300 ms for queries=100',
    ],
    [['--workloads', 'redis'], 'loadtest: --workloads: unknown workload "redis"; the server has: db, fetch, hash, cpu'],
  ])(
    '%j',
    async (args, message) => {
      const { code, stdout, stderr } = await runCli(['--url', app.url, ...args, '--duration', '1', '--warmup', '0']);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toContain(message);
      expect(stderr).not.toContain('scenario(s)');
      expect(stdout).toBe('');
    },
    SIDE_BY_SIDE_GUARD_MS,
  );
});

// One at a time: the first case needs the port it freed to stay free while it runs.
describe('--url pointing at nothing', () => {
  it('says it is waiting for the URL, then fails fast on connection refused with exit 4', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const { code, stderr, seconds } = await runCli([
      '--url',
      `http://127.0.0.1:${port}`,
      '--duration',
      '1',
      '--warmup',
      '0',
      '--workloads',
      'fetch',
      '--modes',
      'async',
    ]);
    expect(code).toBe(EXIT.couldNotRun);
    expect(stderr).toContain(`loadtest: waiting for http://127.0.0.1:${port} to answer /ready…`);
    expect(stderr).toContain(
      `loadtest: nothing is listening at http://127.0.0.1:${port} (connection refused for 3 s); start the server (npm start) or check --url`,
    );
    expect(stderr).not.toMatch(STACK_LINE);
    // Well short of the 60 s a server that answers but is not ready is given.
    expect(seconds).toBeLessThan(30);
  });

  it('fails at once, exit 4, when --url is some other service that has no /ready', async () => {
    const other = createHttpServer((_req, res) => res.writeHead(404).end('not found'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    try {
      const { code, stderr } = await runCli([
        '--url',
        url,
        '--duration',
        '1',
        '--warmup',
        '0',
        '--workloads',
        'fetch',
        '--modes',
        'async',
      ]);
      expect(code).toBe(EXIT.couldNotRun);
      expect(stderr).toContain(`loadtest: ${url}/ready answered 404: is --url a looplab server?`);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('fails at once when the host does not resolve', async () => {
    const { code, stderr } = await runCli([
      '--url',
      'http://no-such-host.invalid:3000',
      '--duration',
      '1',
      '--warmup',
      '0',
      '--workloads',
      'fetch',
      '--modes',
      'async',
    ]);
    expect(code).toBe(EXIT.couldNotRun);
    expect(stderr).toMatch(
      /loadtest: cannot resolve the host of http:\/\/no-such-host\.invalid:3000 \((ENOTFOUND|EAI_AGAIN)\); check --url/,
    );
  });
});
