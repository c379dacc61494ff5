import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/**
 * How long idle keep-alive connections stay open after shutdown begins. A client may have just sent a
 * request on one; cutting it at once (what `http.Server.close()` does since Node 19) resets that
 * request, which the client saw as accepted.
 */
const IDLE_LINGER_MS = 500;

/**
 * Stops `server` gracefully: no new connections, in-flight requests finish, idle keep-alive
 * connections get a short grace (and a request arriving on one meanwhile is answered with
 * `Connection: close`), then are closed; after `graceMs`, whatever is left is cut. Resolves when the
 * last connection is gone.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    // Before any other listener: a handler that answers at once would have sent its headers already.
    server.prependListener('request', function closeAfterResponse(_req, res) {
      res.setHeader('Connection', 'close');
    });
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    // net.Server's close stops accepting and waits for the connections, without http.Server's
    // immediate cut of idle ones.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    // One `setImmediate` before each sweep, as in keep-alive.ts: when the loop was held (a blocking
    // handler, or a CPU shared with other processes) past the sweep's due time, the timers phase runs
    // before the poll phase reads what arrived meanwhile, so a connection whose request is still in
    // the kernel buffer would count as idle and be cut — a reset for a request the client had sent.
    const sweep = setInterval(() => setImmediate(() => server.closeIdleConnections()), IDLE_LINGER_MS);
    sweep.unref();
  });
}
