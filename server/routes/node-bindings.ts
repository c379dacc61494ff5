import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { LooplabResponse } from '../http/looplab-response.ts';

/**
 * Node's own request and response objects when the app runs on @hono/node-server, which is where a
 * profile of looplab under load found avoidable cost: Hono's `c.req.header()` builds a WHATWG
 * `Headers` copy of every request header on first use, and `c.header()` makes a `Headers` object for
 * the response, which then sends the adapter down its slow path (converting it back to a plain
 * object). Undefined without them (e.g. `app.request()`).
 */
export const nodeBindings = (c: Context) => c.env as Partial<HttpBindings> | undefined;

/**
 * `Server-Timing`, the header looplab adds to every workload answer: on the server's own response
 * class it goes out with the handler's headers in `writeHead`, keeping Node on its fast path
 * (server/http/looplab-response.ts); on another Node response by `setHeader`, elsewhere by Hono's.
 * (`X-Request-Id` is the front door's: front-door.ts.)
 */
export function setServerTiming(c: Context, value: string): void {
  const outgoing = nodeBindings(c)?.outgoing;
  if (outgoing instanceof LooplabResponse) outgoing.serverTiming = value;
  else if (outgoing) outgoing.setHeader('Server-Timing', value);
  else c.header('Server-Timing', value);
}
