import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { RELAYED_COPY_WINDOW_MS } from '../server/lifecycle/stop-signals.ts';
import { RawConnection } from './helpers/raw-http.ts';
import { proxiedUpstream, type TcpProxy } from './helpers/tcp-proxy.ts';
import { waitFor } from './helpers/wait-for.ts';

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

/** Whether a socket listens on this TCP port, from the kernel's table (state 0A is LISTEN). */
async function isListening(port: number): Promise<boolean> {
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

/** Sleeps until `ms` after `from` (a `performance.now()` reading): later is fine, earlier never. */
const until = (from: number, ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, from + ms - performance.now())));

it('loses no accepted request on SIGTERM: every one gets its full answer, then the process exits 0', async () => {
  const { url, exited } = await startMain({ SHUTDOWN_GRACE_MS: '15000' });
  // Keep-alive connections, as a real client pool would hold them.
  const agent = new Agent({ connections: 50 });
  const paths = [
    ...Array.from({ length: 20 }, () => '/fetch/async?delay=1500'),
    ...Array.from({ length: 5 }, () => '/db/async?sleep=1000'),
    ...Array.from({ length: 4 }, () => '/cpu/worker?n=200000000'),
    '/fetch/blocking?delay=500',
  ];
  // Open and use every connection first: "accepted" means the server accepted the connection. A
  // connection still in the kernel's backlog when the listener closes is reset, and on a loaded
  // machine 300 ms does not guarantee a new connection was accepted.
  await Promise.all(paths.map(async () => (await request(`${url}/health`, { dispatcher: agent })).body.text()));
  const fetchesInFlight = await upstreamCalls(20);
  const answers = Promise.all(
    paths.map(async (path) => {
      const res = await request(url + path, { dispatcher: agent });
      const body = (await res.body.json()) as { workload?: string };
      return { path, status: res.statusCode, workload: body.workload };
    }),
  );
  await fetchesInFlight();
  child?.kill('SIGTERM');

  const results = await answers;
  expect(results.filter((r) => r.status !== 200)).toEqual([]);
  expect(results.every((r) => r.workload && r.path.startsWith(`/${r.workload}/`))).toBe(true);
  expect(await exited).toBe(0);
  await agent.close();
});

it('answers the connections still in the accept backlog when the signal comes while a blocking request holds the loop', async () => {
  const { url, exited } = await startMain({ SHUTDOWN_GRACE_MS: '15000' });
  // The hold: blocking /fetch waits on the upstream with the loop stopped (Atomics.wait), so it lasts
  // the upstream's delay whatever the CPU's load; the test acts once the upstream has the call.
  const holder = new RawConnection(url);
  const atUpstream = await upstreamCalls(1);
  await holder.send('/fetch/blocking?delay=3000&count=1');
  await atUpstream();
  // Connected (the kernel completes the handshake for a listening socket whose loop is held) and sent
  // (the bytes are in the kernel's buffer) before the signal: the server has not accepted them yet.
  const waiting = Array.from({ length: 6 }, () => new RawConnection(url));
  await Promise.all(waiting.map((connection) => connection.send('/health')));
  child?.kill('SIGINT');

  const answers = await Promise.all(
    [holder, ...waiting].map((connection) =>
      connection.answer().then(
        (answer) => answer.status,
        () => `no answer (${connection.error?.code ?? 'closed'})`,
      ),
    ),
  );
  expect(answers).toEqual([200, 200, 200, 200, 200, 200, 200]);
  expect(await exited).toBe(0);
});

it('stops accepting new connections once shutting down', async () => {
  const { url, exited } = await startMain();
  const atUpstream = await upstreamCalls(1);
  let slowSettled = false;
  const slow = fetch(`${url}/fetch/async?delay=4000`).finally(() => (slowSettled = true));
  await atUpstream();
  expect(await isListening(Number(new URL(url).port))).toBe(true);
  child?.kill('SIGTERM');
  // The listening socket goes away while the request is still being answered: the kernel's own table,
  // not a guess at how long the server takes to notice the signal.
  await waitFor('the listening socket to close', async () =>
    (await isListening(Number(new URL(url).port))) ? undefined : true,
  );
  expect(slowSettled).toBe(false);
  // A new connection (a fresh agent: the global one may still hold an idle keep-alive connection,
  // which is allowed to deliver one last request during the linger) is refused.
  const fresh = new Agent();
  await expect(request(`${url}/health`, { dispatcher: fresh })).rejects.toThrow(/ECONNREFUSED/);
  await fresh.close();
  expect((await slow).status).toBe(200);
  expect(await exited).toBe(0);
});

it('exits at once on a second signal, without waiting for in-flight work', async () => {
  const { url, exited, printed } = await startMain({ SHUTDOWN_GRACE_MS: '60000' });
  const atUpstream = await upstreamCalls(1);
  const slow = fetch(`${url}/fetch/async?delay=8000`).then(
    (res) => res.status,
    () => 'no answer',
  );
  await atUpstream();
  child?.kill('SIGTERM');
  await printed(/SIGTERM received, shutting down/); // the first taken, and the drain begun
  child?.kill('SIGINT');
  expect(await exited).toBe(1);
  // Causality, not a clock: had it waited for the in-flight request, that request would have got its
  // 200 (its upstream answers after 8 s, well inside the 60 s grace) before the exit.
  expect(await slow).toBe('no answer');
});

it('counts the same signal twice within a second as one (a relayed copy), and a later one as "exit now"', async () => {
  const { url, exited, printed } = await startMain({ SHUTDOWN_GRACE_MS: '60000' });
  const atUpstream = await upstreamCalls(1);
  const slow = fetch(`${url}/fetch/async?delay=10000`).then(
    (res) => res.status,
    () => 'no answer',
  );
  await atUpstream();
  child?.kill('SIGTERM');
  // The copy only once the first was taken: two sent back to back are often merged by the kernel into
  // one delivery (a pending signal is not queued twice), and then there is no copy to count.
  const firstSeen = await printed(/SIGTERM received, shutting down/);
  child?.kill('SIGTERM'); // what npm's relay or a process-group signal adds
  // An event, not a sleep that a loaded machine can outrun: the server took the copy as a copy (it
  // would have exited 1 instead of saying so).
  await printed(/SIGTERM again, taken as a relayed copy/);
  expect(child?.exitCode).toBe(null); // still draining
  // The server stamped the first signal before this process saw it said: a signal sent a window after
  // that reaches it after its window, however late either side runs.
  await until(firstSeen, RELAYED_COPY_WINDOW_MS);
  child?.kill('SIGTERM');
  expect(await exited).toBe(1);
  expect(await slow).toBe('no answer');
});

it('under npm start, ignores npm\'s relayed copy even when it comes late, and takes the next one as "exit now"', async () => {
  // What npm sets for the script it runs: the server then knows its parent relays every signal it gets.
  const { url, exited, printed } = await startMain({
    SHUTDOWN_GRACE_MS: '60000',
    npm_lifecycle_event: 'start',
    npm_lifecycle_script: 'exec node --import tsx server/main.ts',
  });
  const atUpstream = await upstreamCalls(1);
  const slow = fetch(`${url}/fetch/async?delay=10000`).then(
    (res) => res.status,
    () => 'no answer',
  );
  await atUpstream();
  child?.kill('SIGINT'); // the process-group signal, straight to the server
  const firstSeen = await printed(/SIGINT received, shutting down/);
  // npm's relay of the same Ctrl-C, late because npm waited for a CPU: surely past the window.
  await until(firstSeen, RELAYED_COPY_WINDOW_MS);
  child?.kill('SIGINT');
  await printed(/SIGINT again, taken as a relayed copy/);
  expect(child?.exitCode).toBe(null); // still draining
  child?.kill('SIGINT'); // a second Ctrl-C
  expect(await exited).toBe(1);
  expect(await slow).toBe('no answer');
});
