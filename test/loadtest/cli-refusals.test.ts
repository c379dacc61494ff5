import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODE_TABLE } from '../../loadtest/cli/exit-codes.ts';
import { parseOptions } from '../../loadtest/cli/options.ts';
import { discoverPlan, ServerRefusesParamsError } from '../../loadtest/stack/discover.ts';
import { externalTarget } from '../../loadtest/stack/stack.ts';
import { TargetUnreachableError, waitForUrl } from '../../loadtest/stack/wait-for-url.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { runCli, SIDE_BY_SIDE_GUARD_MS, STACK_LINE } from './run-cli.ts';

/**
 * The CLI itself, in a child process, once per way it refuses: each refusal is one plain sentence and
 * its exit code, before any process or load is started. The sentences of every other refusal are
 * checked in-process (command-line.test.ts for the command line, below for what the server or the
 * URL refuses), against the same functions the CLI calls.
 */
describe('the CLI refuses a bad command line at once, starting nothing', () => {
  it.concurrent(
    'exits 2 with one line on stderr, no stack trace and nothing on stdout',
    async () => {
      const { code, stdout, stderr } = await runCli(['--params', 'fetch.delay', '--out', '/nonexistent/never-written']);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toContain('loadtest: --params: "fetch.delay" is not of the form workload.param=value');
      expect(stderr).toContain('(see npm run loadtest -- --help)');
      expect(stderr).not.toMatch(STACK_LINE);
      expect(stderr).not.toContain('starting embedded PostgreSQL');
      expect(stdout).toBe('');
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
      // Every code of the one table, in its order, each with its wrapped meaning.
      const codes = Object.values(EXIT_CODE_TABLE).map(({ code }) => ` {2}${code} +.+\n(?: {7}.+\n)*`);
      expect(stdout).toMatch(new RegExp(`Exit codes:\n${codes.join('')}`));
      expect(stdout).toContain('  1    a --threshold did not hold\n');
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

  it("exits 2 with the server's own sentence, sending no load", async () => {
    const { code, stdout, stderr } = await runCli([
      '--url',
      app.url,
      '--params',
      'fetch.url=http://x',
      '--duration',
      '1',
      '--warmup',
      '0',
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain(
      'loadtest: --params: fetch: unknown parameter "url"; known parameters: fetch.delay, fetch.bytes, fetch.count',
    );
    expect(stderr).not.toContain('scenario(s)');
    expect(stdout).toBe('');
  });

  it.each([
    [
      ['--params', 'db.queries=100,db.sleep=400'],
      'queries × sleep must not exceed 30000 ms; sleep allowed: whole number 0..300 ms for queries=100',
    ],
    [['--workloads', 'redis'], '--workloads: unknown workload "redis"; the server has: db, fetch, hash, cpu'],
  ])('%j, checked in-process', async (args, message) => {
    const options = parseOptions(['--url', app.url, ...args, '--duration', '1', '--warmup', '0']);
    if (options === 'help') throw new Error('not a run');
    await expect(discoverPlan(externalTarget(app.url), options)).rejects.toThrow(ServerRefusesParamsError);
    await expect(discoverPlan(externalTarget(app.url), options)).rejects.toThrow(message);
  });
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

  // The CLI turns any TargetUnreachableError into its message and exit 4, as the case above shows.
  it('fails at once when --url is some other service that has no /ready (checked in-process)', async () => {
    const other = createHttpServer((_req, res) => res.writeHead(404).end('not found'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    try {
      await expect(waitForUrl(url, () => {})).rejects.toThrow(
        new TargetUnreachableError(`${url}/ready answered 404: is --url a looplab server?`),
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('fails at once when the host does not resolve (checked in-process)', async () => {
    await expect(waitForUrl('http://no-such-host.invalid:3000', () => {})).rejects.toThrow(
      /^cannot resolve the host of http:\/\/no-such-host\.invalid:3000 \((ENOTFOUND|EAI_AGAIN)\); check --url$/,
    );
  });
});
