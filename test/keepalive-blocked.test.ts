import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { RawConnection } from './helpers/raw-http.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { proxiedUpstream, type TcpProxy } from './helpers/tcp-proxy.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * A pooled keep-alive connection whose next request arrives while the server's event loop is blocked
 * past the idle deadline (keepAliveTimeout + Node's 1 s buffer) must get its answer, not a reset: on
 * resume the timers phase runs before the poll phase reads the request (server/http/keep-alive.ts). The
 * server runs in its own process so this test's clock and sockets keep going while it is blocked.
 */
const KEEP_ALIVE_TIMEOUT_MS = 200;
/** Node arms a keep-alive socket's idle timer for keepAliveTimeout plus this (lib/_http_server.js). */
const NODE_BUFFER_MS = 1000;
/** How far past the idle deadline the test waits before writing: the timer has surely expired. */
const PAST_DEADLINE_MS = 200;
/**
 * The block: blocking /fetch waits on the upstream call with the loop stopped (Atomics.wait), so it
 * lasts the upstream's delay whatever the CPU's speed or load, several idle deadlines long so the
 * write lands well inside it. Nothing here asserts a duration: only the order of events.
 */
const BLOCK_MS = 4 * (KEEP_ALIVE_TIMEOUT_MS + NODE_BUFFER_MS);

let server: ServerProcess;
let upstream: { proxy: TcpProxy; url: string };
const opened: RawConnection[] = [];
beforeAll(async () => {
  upstream = await proxiedUpstream(inject('upstreamUrl'));
  server = await startServerProcess({
    UPSTREAM_URL: upstream.url,
    KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
  });
});
afterEach(() => opened.splice(0).forEach((connection) => connection.destroy()));
afterAll(async () => {
  server?.kill();
  await server?.exited;
  await upstream?.proxy.close();
});

function open(): RawConnection {
  const connection = new RawConnection(server.url);
  opened.push(connection);
  return connection;
}

it('answers a request sent on an idle keep-alive connection while the loop is blocked past its deadline', async () => {
  const a = open();
  await a.send('/health');
  const first = await a.answer();
  expect(first.status).toBe(200);

  const b = open();
  const awaitingBefore = (await upstream.proxy.stats()).awaiting;
  await b.send(`/fetch/blocking?delay=${BLOCK_MS}&count=1`);
  const blocked = b.answer();
  let bAnswered: number | undefined;
  void blocked.then(
    (answer) => (bAnswered = answer.at),
    () => {},
  );
  // The server is inside the blocking call once the upstream has it, and A's idle timer has expired
  // once its deadline has passed on this clock (which started no earlier than the server's).
  await waitFor('the blocking call to reach the upstream', async () =>
    (await upstream.proxy.stats()).awaiting > awaitingBefore ? true : undefined,
  );
  await sleep(Math.max(0, first.at + KEEP_ALIVE_TIMEOUT_MS + NODE_BUFFER_MS + PAST_DEADLINE_MS - performance.now()));
  if (bAnswered !== undefined)
    throw new Error('the blocking request ended before the idle deadline passed: the test proves nothing');

  const secondSent = await a.send('/health');
  const second = await a.answer();
  expect(second.status).toBe(200);
  expect(a.error).toBeUndefined();
  const { status } = await blocked;
  expect(status).toBe(200);
  // A's request was written while B's was still being worked on: B's answer came after it.
  expect(bAnswered).toBeGreaterThan(secondSent);
}, 60_000);

it('still closes an idle keep-alive connection after the timeout', async () => {
  const idle = open();
  await idle.send('/health');
  const answered = await idle.answer();
  expect(answered.status).toBe(200);
  // The test never ends this connection: only the server can, and it says so with a FIN ('end'), not
  // a reset. The guard is a hang guard, not a bound.
  await Promise.race([
    idle.closed,
    sleep(20_000).then(() => Promise.reject(new Error('the server left an idle connection open for 20 s'))),
  ]);
  expect(idle.endedAt).toBeGreaterThan(answered.at);
  expect(idle.error).toBeUndefined();
}, 60_000);
