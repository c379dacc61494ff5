import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The response a socket is writing now, if any: Node's own field (`socket._httpMessage`, set while a
 * response is attached to the socket and cleared when it finishes), which Node's own idle timeout
 * handler (`socketOnTimeout` in lib/_http_server.js) reads for the same question. Reading it costs
 * nothing per request, where counting responses ourselves cost a listener on every one.
 */
const responseInFlight = (socket: Socket) =>
  (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;

/**
 * Stops Node from resetting a keep-alive connection whose next request arrived while the event loop
 * was blocked. Node arms the socket's idle timer (keepAliveTimeout + 1 s) after a response; when a
 * blocking handler holds the loop past it, the timers phase runs before the poll phase on resume, so
 * Node 20 and 24 (`socketOnTimeout` in lib/_http_server.js) destroy the socket with the request still
 * unread in the kernel buffer, and the client gets ECONNRESET. With a server 'timeout' listener Node
 * leaves the socket to us: we wait one `setImmediate` (after the poll phase has read whatever arrived)
 * and close only a socket that read nothing since the timer fired and has no response in flight.
 * Headers and request timeouts are unaffected: Node enforces them by its own interval, not this event.
 */
export function closeIdleAfterPoll(server: Server): void {
  server.on('timeout', function closeIfStillIdle(socket: Socket) {
    const readBefore = socket.bytesRead;
    setImmediate(() => {
      if (socket.destroyed || socket.bytesRead !== readBefore || responseInFlight(socket)) return;
      socket.destroy();
    });
  });
}
