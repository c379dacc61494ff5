import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { closeGracefully } from '../server/http/graceful-close.ts';
import { RawConnection } from './helpers/raw-http.ts';

/**
 * closeGracefully with a real HTTP server and real sockets, in this process on purpose: the test holds
 * this event loop itself, the way a blocking handler or a starved CPU holds a server's, to put the
 * loop's phases in the order that matters. How long it holds is measured on the loop's own clock and
 * only compared with the sweep's period; nothing here asserts a duration.
 */
const SWEEP_MS = 500; // IDLE_LINGER_MS in server/http/graceful-close.ts

let server: Server | undefined;
const opened: RawConnection[] = [];
afterEach(async () => {
  opened.splice(0).forEach((connection) => connection.destroy());
  server?.closeAllConnections();
  server = undefined;
});

async function listening(): Promise<{ server: Server; url: string }> {
  const created = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end('ok');
  });
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  server = created;
  return { server: created, url: `http://127.0.0.1:${(created.address() as AddressInfo).port}` };
}

/** Keeps this thread busy, as a blocking handler would, until `ms` have passed on its clock. */
function holdTheLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

it('answers a request sent on an idle keep-alive connection while the loop was held past the sweep', async () => {
  const { server, url } = await listening();
  const connection = new RawConnection(url);
  opened.push(connection);
  await connection.send('/first');
  expect((await connection.answer()).status).toBe(200);

  const closed = closeGracefully(server, 10_000);
  // Written now, read by the server only after the hold: the bytes wait in the kernel buffer while
  // the sweep falls due. On resume the timers phase (the sweep) runs before the poll phase (the read).
  await connection.send('/second');
  holdTheLoop(SWEEP_MS * 2);

  const second = await connection.answer();
  expect(second.status).toBe(200);
  expect(second.body).toBe('ok');
  expect(connection.error).toBeUndefined();
  // And the shutdown still completes: the connection is closed after that answer (Connection: close).
  await Promise.all([closed, connection.closed]);
  expect(connection.closedAt).toBeGreaterThanOrEqual(second.at);
});

it('still closes an idle keep-alive connection that sends nothing', async () => {
  const { server, url } = await listening();
  const connection = new RawConnection(url);
  opened.push(connection);
  await connection.send('/first');
  const first = await connection.answer();
  expect(first.status).toBe(200);
  await closeGracefully(server, 60_000);
  // Closed by the sweep (a FIN from the server), not by the 60 s cut, which would have timed out the test.
  await connection.closed;
  expect(connection.endedAt).toBeGreaterThan(first.at);
  expect(connection.error).toBeUndefined();
});
