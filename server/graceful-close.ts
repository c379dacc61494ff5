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
    server.on('request', function closeAfterResponse(_req, res) {
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
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_LINGER_MS);
    sweep.unref();
  });
}
