import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { LooplabResponse } from '../http/looplab-response.ts';

/**
 * Header access through Node's own request and response objects when the app runs on
 * @hono/node-server, which is where a profile of looplab under load found avoidable cost: Hono's
 * `c.req.header()` builds a WHATWG `Headers` copy of every request header on first use, and
 * `c.header()` makes a `Headers` object for the response, which then sends the adapter down its slow
 * path (converting it back to a plain object). Both fall back to Hono's API when there are no Node
 * bindings (e.g. `app.request()`).
 */
const nodeBindings = (c: Context) => c.env as Partial<HttpBindings> | undefined;

/** A request header by its lower-case name, from `IncomingMessage.headers` (already parsed by Node). */
export function incomingHeader(c: Context, name: Lowercase<string>): string | undefined {
  const incoming = nodeBindings(c)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Sets a response header on Node's `ServerResponse`; the adapter's `writeHead` merges it with the
 * headers of the Response the handler returns. Use only for headers no handler sets itself.
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeBindings(c)?.outgoing;
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}

/**
 * `X-Request-Id` and `Server-Timing`, the headers looplab adds itself: on the server's own response
 * class they go out with the handler's headers in `writeHead`, keeping Node on its fast path
 * (server/http/looplab-response.ts); elsewhere (an app served without it) by {@link setResponseHeader}.
 */
export function setOwnHeader(c: Context, name: 'X-Request-Id' | 'Server-Timing', value: string): void {
  const outgoing = nodeBindings(c)?.outgoing;
  if (!(outgoing instanceof LooplabResponse)) setResponseHeader(c, name, value);
  else if (name === 'X-Request-Id') outgoing.requestId = value;
  else outgoing.serverTiming = value;
}
