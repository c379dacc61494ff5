import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { LooplabResponse } from '../http/looplab-response.ts';
import { nodeBindings } from './node-bindings.ts';

/** Same rule as hono/request-id: a caller's id is kept when it is short and plain. */
const ACCEPTABLE_ID = /^[\w\-=]{1,255}$/;

/**
 * UUID-shaped ids that cost a counter increment: a random prefix drawn once per process (so ids from
 * different processes or restarts do not collide) and a 48-bit sequence number as the last group.
 */
const prefix = randomUUID().slice(0, 24);
let sequence = 0;
const nextRequestId = () => prefix + (sequence++ % 0x1000000000000).toString(16).padStart(12, '0');

/** The id of a request: the caller's `X-Request-Id` when acceptable, else a new one. */
export function requestIdFor(given: string | undefined): string {
  return given !== undefined && ACCEPTABLE_ID.test(given) ? given : nextRequestId();
}

/**
 * Ids of requests served without the server's response class (an app served by a plain `serve()`, or
 * `app.request()`), which has nowhere else to keep it; weak, so an answered request takes its id along.
 */
const elsewhere = new WeakMap<Request, string>();

/** Remembers `id` as the id of `request`, for {@link requestIdOf} (not needed on a LooplabResponse). */
export function rememberRequestId(request: Request, id: string): void {
  elsewhere.set(request, id);
}

/** The id the front door gave this request (front-door.ts), for logs and 5xx bodies. */
export function requestIdOf(c: Context): string | undefined {
  const outgoing = nodeBindings(c)?.outgoing;
  if (outgoing instanceof LooplabResponse) return outgoing.requestId;
  return elsewhere.get(c.req.raw);
}
