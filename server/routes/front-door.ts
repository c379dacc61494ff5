import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import { LooplabResponse } from '../http/looplab-response.ts';
import type { AppEnv } from './app-env.ts';
import { rememberRequestId, requestIdFor } from './request-id.ts';

/**
 * What every request goes through before routing: it gets an id (`X-Request-Id` on every answer,
 * the caller's when acceptable, see request-id.ts), and every endpoint being a GET without a body,
 * other methods get 405 (for every path, consistently) and a request that announces a body — by
 * length or chunked — gets 413 before any of it is read.
 *
 * It wraps the app's `fetch` instead of being Hono middleware because any `app.use()` makes Hono
 * compose a chain of async functions for every request: a synchronous handler's answer (`/health`)
 * becomes a promise, @hono/node-server then adds a `close` listener to the response and awaits it,
 * and a CPU profile under load put that at about a quarter of `/health`'s cost (docs/design/overhead.md).
 * Done here, a synchronous handler stays synchronous end to end.
 */
export function withFrontDoor(app: Hono<AppEnv>): void {
  const dispatch = app.fetch;
  app.fetch = function frontDoor(request, env, executionCtx) {
    const { incoming, outgoing } = (env ?? {}) as Partial<HttpBindings>;
    // Node's own parsed headers where there are any: `request.headers` would build a WHATWG copy.
    const header = (name: Lowercase<string>) =>
      incoming ? joined(incoming.headers[name]) : (request.headers.get(name) ?? undefined);

    const id = requestIdFor(header('x-request-id'));
    // On the server's own response class the id goes out in writeHead with the other headers
    // (looplab-response.ts); elsewhere it is set on the response and remembered for requestIdOf.
    if (outgoing instanceof LooplabResponse) outgoing.requestId = id;
    else {
      rememberRequestId(request, id);
      outgoing?.setHeader('X-Request-Id', id);
    }

    const refusal = refuse(request.method, header);
    const answer = refusal ?? dispatch(request, env, executionCtx);
    if (outgoing) return answer;
    // No Node response to carry the header (app.request()): it goes on the answer itself.
    return answer instanceof Promise ? answer.then((res) => withId(res, id)) : withId(answer, id);
  };
}

const joined = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

function withId(res: Response, id: string): Response {
  res.headers.set('X-Request-Id', id);
  return res;
}

const json = (status: number, body: object, headers: Record<string, string>) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** The 405 or 413 a request gets before routing, if any. */
function refuse(method: string, header: (name: Lowercase<string>) => string | undefined): Response | undefined {
  if (method !== 'GET' && method !== 'HEAD')
    return json(405, { error: 'method not allowed', allowed: 'GET, HEAD' }, { Allow: 'GET, HEAD' });
  const length = header('content-length');
  if ((length !== undefined && length !== '0') || header('transfer-encoding') !== undefined) {
    // Close the connection: the unread body must not be parsed as the next request.
    return json(413, { error: 'request bodies are not accepted', allowed: '0 bytes' }, { Connection: 'close' });
  }
  return undefined;
}
