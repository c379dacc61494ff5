import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { incomingHeader, setOwnHeader } from './node-bindings.ts';

/** Same rule as hono/request-id: a caller's id is kept when it is short and plain. */
const ACCEPTABLE_ID = /^[\w\-=]{1,255}$/;

/**
 * UUID-shaped ids that cost a counter increment: a random prefix drawn once per process (so ids from
 * different processes or restarts do not collide) and a 48-bit sequence number as the last group.
 */
const prefix = randomUUID().slice(0, 24);
let sequence = 0;
const nextRequestId = () => prefix + (sequence++ % 0x1000000000000).toString(16).padStart(12, '0');

/**
 * Gives every request an id (the caller's `X-Request-Id` when acceptable), as `c.get('requestId')`
 * for logs and as the `X-Request-Id` response header. Like hono/request-id, minus a UUID draw and two
 * `Headers` objects per request (see node-bindings.ts).
 */
export const requestId: MiddlewareHandler<AppEnv> = function requestId(c, next) {
  const given = incomingHeader(c, 'x-request-id');
  const id = given !== undefined && ACCEPTABLE_ID.test(given) ? given : nextRequestId();
  c.set('requestId', id);
  setOwnHeader(c, 'X-Request-Id', id);
  return next();
};
