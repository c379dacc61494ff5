import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Whether anyone is connected to this process's HTTP server, for the samplers that need not wake
 * often while nobody is (loop-delay.ts, memory-peak.ts). Until a server is watched every sampler runs
 * at its full rate, as it always did: only `watchClients` lets them idle.
 */
type Listener = (connected: boolean) => void;
const listeners = new Set<Listener>();
let connected = true;

/** After the last client leaves, "connected" lasts this long, so a window that ends with the load is fully sampled. */
const CALM_AFTER_MS = 1000;

function set(now: boolean): void {
  if (now === connected) return;
  connected = now;
  for (const l of listeners) l(now);
}

/** Calls `listener` at every change, and once now with the current state. */
export function onClientsChange(listener: Listener): void {
  listeners.add(listener);
  listener(connected);
}

/**
 * Connected while `server` has a client (and for a second after the last one left), idle otherwise.
 * Every scrape of `/metrics` and every load holds a connection, so no window a reader reads is idle.
 */
export function watchClients(server: Pick<Server, 'on'>): void {
  let open = 0;
  let calm: NodeJS.Timeout | undefined;
  set(false);
  server.on('connection', (socket: Socket) => {
    open++;
    clearTimeout(calm);
    set(true);
    socket.once('close', () => {
      if (--open > 0) return;
      calm = setTimeout(() => set(false), CALM_AFTER_MS);
      calm.unref();
    });
  });
}
