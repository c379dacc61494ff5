import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/**
 * How long idle keep-alive connections stay open after shutdown begins. A client may have just sent a
 * request on one; cutting it at once (what `http.Server.close()` does since Node 19) resets that
 * request, which the client saw as accepted.
 */
const IDLE_LINGER_MS = 500;

/**
 * Stops `server` gracefully: connections the kernel already accepted are taken first, then no new
 * connections, in-flight requests finish, idle keep-alive connections get a short grace (and a
 * request arriving on one meanwhile is answered with `Connection: close`), then are closed; after
 * `graceMs`, whatever is left is cut. Resolves when the last connection is gone.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  // Before any other listener: a handler that answers at once would have sent its headers already.
  server.prependListener('request', function closeAfterResponse(_req, res) {
    res.setHeader('Connection', 'close');
  });
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  force.unref();
  // Half the grace at most for the backlog, so that what it takes still has time to be answered.
  return drainBacklog(server, graceMs / 2).then(
    () =>
      new Promise<void>((resolve) => {
        // net.Server's close stops accepting and waits for the connections, without http.Server's
        // immediate cut of idle ones.
        NetServer.prototype.close.call(server, () => {
          clearTimeout(force);
          clearInterval(sweep);
          resolve();
        });
        // One `setImmediate` before each sweep, as in keep-alive.ts: when the loop was held (a blocking
        // handler, or a CPU shared with other processes) past the sweep's due time, the timers phase
        // runs before the poll phase reads what arrived meanwhile, so a connection whose request is
        // still in the kernel buffer would count as idle and be cut — a reset for a request the client
        // had sent.
        const sweep = setInterval(() => setImmediate(() => server.closeIdleConnections()), IDLE_LINGER_MS);
        sweep.unref();
      }),
  );
}

/**
 * How long a drain waits, after a loop turn that accepted nothing, for a connection to come after all.
 * In cluster mode the primary accepts and hands a server process one connection at a time, each after
 * the process acknowledged the last: the next may be one IPC round trip away, not in the next turn.
 */
const QUIET_MS = 50;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Keeps listening until no connection came for a loop turn and then {@link QUIET_MS}, or `boundMs`
 * have passed. libuv accepts one connection per listening socket per turn, so after the loop was held
 * (a blocking handler) the connections that arrived meanwhile wait in the kernel's accept queue,
 * handshake done and request sent; closing the listener then would reset every one of them. Each
 * `setImmediate` below resolves after the next poll phase, which accepts one if any is waiting: a turn
 * that accepts nothing saw the queue empty.
 */
async function drainBacklog(server: Server, boundMs: number): Promise<void> {
  if (!server.listening) return;
  const giveUpAt = performance.now() + boundMs;
  let accepted = 0;
  const count = () => accepted++;
  server.on('connection', count);
  try {
    while (performance.now() < giveUpAt) {
      const before = accepted;
      await nextTurn();
      if (accepted !== before) continue;
      await new Promise((resolve) => setTimeout(resolve, Math.min(QUIET_MS, giveUpAt - performance.now())));
      await nextTurn();
      if (accepted === before) return;
    }
  } finally {
    server.off('connection', count);
  }
}
