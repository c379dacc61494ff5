import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import { proxiedUpstream, type TcpProxy } from './tcp-proxy.ts';
import { waitFor } from './wait-for.ts';

/** Whether a socket listens on this TCP port, from the kernel's table (state 0A is LISTEN). */
export async function isListening(port: number): Promise<boolean> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFile(file, 'utf8').catch(() => '')),
  );
  return tables.some((table) =>
    table.split('\n').some((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return local?.endsWith(`:${hex}`) && state === '0A';
    }),
  );
}

/** Sleeps until `ms` after `from` (a `performance.now()` reading): later is fine, earlier never. */
export const until = (from: number, ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, from + ms - performance.now())));

/**
 * `server/main.ts` in a process of its own, one per test, against the run's database and an upstream
 * seen through a counting proxy, for the shutdown tests (shutdown.test.ts in the fast tier,
 * e2e-shutdown-signals.test.ts in e2e). Registers the hooks that start the proxy and kill a server a
 * failed test left running.
 */
export function mainUnderTest() {
  let child: ChildProcess | undefined;
  // The upstream through a proxy that counts the calls the server makes: a test signals once its slow
  // requests are at the upstream, i.e. surely in flight, rather than after a fixed sleep.
  let upstream: { proxy: TcpProxy; url: string };
  beforeAll(async () => {
    upstream = await proxiedUpstream(inject('upstreamUrl'));
  });
  afterAll(async () => {
    await upstream?.proxy.close();
  });

  /** Resolves once the server has made `calls` more upstream calls than it had made when this was called. */
  async function upstreamCalls(calls: number): Promise<() => Promise<void>> {
    const before = (await upstream.proxy.stats()).awaiting;
    return async () => {
      await waitFor(`${calls} upstream calls`, async () =>
        (await upstream.proxy.stats()).awaiting >= before + calls ? true : undefined,
      );
    };
  }

  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  /** Starts `server/main.ts` against the run's database and upstream, and resolves with its URL. */
  async function startMain(
    env: Record<string, string> = {},
  ): Promise<{ url: string; exited: Promise<number | null>; printed: (line: RegExp) => Promise<number> }> {
    const proc = spawn(process.execPath, [...typeScriptLoaderArgs(), 'server/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_URL: inject('databaseUrl'),
        UPSTREAM_URL: upstream.url,
        WORKERS: '2',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /looplab listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void exited.then(() => reject(new Error(`main exited early:\n${output}`)));
    });
    const deadline = Date.now() + 30_000;
    while ((await fetch(`${url}/ready`)).status !== 200 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    /** Resolves once the server has printed `line`, with this process's clock at the moment it was seen. */
    const printed = (line: RegExp) =>
      waitFor(`the server to print ${line}`, () => (line.test(output) ? performance.now() : undefined));
    return { url, exited, printed };
  }

  return {
    startMain,
    upstreamCalls,
    /** Sends `signal` to the server process of the running test. */
    signal: (signal: NodeJS.Signals) => child?.kill(signal),
    /** The server's exit code, or null while it runs. */
    exitCode: () => child?.exitCode ?? null,
  };
}
