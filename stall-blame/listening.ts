/**
 * The TCP addresses this process's servers listen on, learnt from Node's `net.server.listen` tracing
 * channel (no patching of `net`): the harness that started the process asks for them on the blame
 * endpoint (`GET /listening`), so a server that ignores the PORT it was given is still found.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import type { Server } from 'node:net';

/** One listening TCP address, as `server.address()` gives it. */
export interface ListeningAddress {
  address: string;
  family: string;
  port: number;
}

/**
 * Starts watching; the returned function lists the addresses of the servers that finished `listen()`
 * since, in that order, leaving out those closed again and pipes. Servers that listened before the call
 * are not seen: the preload calls it once its own endpoint listens, so that endpoint is not among them.
 */
export function watchListening(): () => ListeningAddress[] {
  const servers: Server[] = [];
  tracingChannel<unknown, { server: Server }>('net.server.listen').subscribe({
    start() {},
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd({ server }) {
      servers.push(server);
    },
  });
  return () =>
    servers.flatMap((server) => {
      const address = server.listening ? server.address() : null;
      return address !== null && typeof address === 'object'
        ? [{ address: address.address, family: address.family, port: address.port }]
        : [];
    });
}
