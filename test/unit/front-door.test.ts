import { Hono } from 'hono';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LooplabResponse } from '../../server/http/looplab-response.ts';
import type { AppEnv } from '../../server/routes/app-env.ts';
import { withFrontDoor } from '../../server/routes/front-door.ts';
import { requestIdOf } from '../../server/routes/request-id.ts';

/** A tiny app behind the real front door: one synchronous route, one that says its own request id. */
function doorApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
    .get('/health', (c) => c.json({ status: 'ok' }))
    .get('/id', async (c) => c.json({ id: requestIdOf(c) ?? null }));
  withFrontDoor(app);
  return app;
}

/** The bindings @hono/node-server hands the app: Node's request (headers only here) and the server's response class. */
function nodeEnv(headers: Record<string, string> = {}) {
  const incoming = new IncomingMessage(new Socket());
  Object.assign(incoming.headers, headers);
  return { incoming, outgoing: new LooplabResponse(incoming) };
}

describe('the front door (request ids, 405, 413 before routing)', () => {
  it("answers a synchronous handler synchronously, so @hono/node-server's fast path serves it", () => {
    // Hono middleware would make this a promise (and cost /health a quarter of its CPU): the door must not.
    const env = nodeEnv();
    const answer = doorApp().fetch(new Request('http://localhost/health'), env);
    expect(answer).toBeInstanceOf(Response);
    expect((answer as Response).status).toBe(200);
    expect(env.outgoing.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("hands the response class the caller's acceptable id, and a new one for an unacceptable id", () => {
    const kept = nodeEnv({ 'x-request-id': 'trace-me' });
    doorApp().fetch(new Request('http://localhost/health'), kept);
    expect(kept.outgoing.requestId).toBe('trace-me');
    const replaced = nodeEnv({ 'x-request-id': 'two words' });
    doorApp().fetch(new Request('http://localhost/health'), replaced);
    expect(replaced.outgoing.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives a handler the same id it sends (requestIdOf), with and without Node bindings', async () => {
    const env = nodeEnv();
    const withNode = await doorApp().fetch(new Request('http://localhost/id'), env);
    expect(await withNode.json()).toEqual({ id: env.outgoing.requestId });
    const plain = await doorApp().request('/id', { headers: { 'X-Request-Id': 'mine' } });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ id: 'mine' });
    expect(plain.headers.get('x-request-id')).toBe('mine');
  });

  it('answers other methods 405 with Allow, on every path, known or not, with an id', async () => {
    for (const path of ['/health', '/nowhere']) {
      const res = await doorApp().request(path, { method: 'POST' });
      expect(res.status).toBe(405);
      expect(await res.json()).toEqual({ error: 'method not allowed', allowed: 'GET, HEAD' });
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers a GET that announces a body, by length or chunked, 413 and closes the connection', async () => {
    const bodies: Record<string, string>[] = [{ 'content-length': '3' }, { 'transfer-encoding': 'chunked' }];
    for (const headers of bodies) {
      const env = nodeEnv(headers);
      const res = await doorApp().fetch(new Request('http://localhost/health'), env);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: 'request bodies are not accepted', allowed: '0 bytes' });
      expect(res.headers.get('connection')).toBe('close');
      expect(env.outgoing.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const empty = nodeEnv({ 'content-length': '0' });
    expect(((await doorApp().fetch(new Request('http://localhost/health'), empty)) as Response).status).toBe(200);
  });
});
