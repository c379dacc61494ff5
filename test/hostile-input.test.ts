import fc from 'fast-check';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWorldStore } from '../server/clients/world-store.ts';
import { startCanary } from './helpers/canary.ts';
import { startTestApp, untilReady, type TestApp } from './helpers/test-app.ts';
import { waitFor } from './helpers/wait-for.ts';

let app: TestApp;
let client: Client;
let canary: Awaited<ReturnType<typeof startCanary>>;
beforeAll(async () => {
  app = await startTestApp({ headersTimeoutMs: 1000, keepAliveTimeoutMs: 500 });
  // The worker threads boot in the background (seconds on a busy machine): until then /ready is an
  // honest 503 ("workers: no answer within 2000 ms", seen at load average 17), not an answer to input.
  await untilReady(app);
  client = new Client(app.url);
  canary = await startCanary();
});
afterAll(async () => {
  await client.close();
  await app.close();
  await canary.close();
});

/** Sends one raw request and returns the status, with the path exactly as given (no URL normalising). */
async function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; type: string }> {
  const res = await client.request({ method, path, headers, headersTimeout: 20_000, bodyTimeout: 20_000 });
  return { status: res.statusCode, body: await res.body.text(), type: String(res.headers['content-type'] ?? '') };
}

describe('random and adversarial requests', () => {
  // CANARY becomes the canary's port once it listens (the arbitraries are built before that).
  const canaryUrls = () => ['http://127.0.0.1:CANARY/', '//127.0.0.1:CANARY', '127.0.0.1:CANARY'];
  const nasty = [
    '',
    '1e3',
    '0x10',
    '-1',
    '+1',
    '1.5',
    ' 1',
    '%00',
    '%',
    '..',
    '../../etc/passwd',
    'NaN',
    '9'.repeat(40),
    '[]',
    '{}',
    'null',
    "1' or '1'='1",
    '1;drop table world',
    '\u0000',
    '١',
    'ｆｅｔｃｈ',
  ];
  // Numbers stay small so that the valid requests among them are cheap: this tests shapes, not load.
  const value = () =>
    fc.oneof(
      fc.integer({ min: 0, max: 20 }).map(String),
      fc.constantFrom(...nasty, ...canaryUrls()),
      fc.string({ maxLength: 12 }),
    );
  const key = fc.oneof(
    fc.constantFrom(
      'queries',
      'sleep',
      'delay',
      'bytes',
      'count',
      'algo',
      'cost',
      'task',
      'n',
      'url',
      'host',
      'queries[]',
      'Count',
    ),
    fc.string({ maxLength: 6 }),
  );
  const query = fc
    .array(fc.tuple(key, value()), { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const segment = fc.oneof(
    fc.constantFrom(
      'db',
      'fetch',
      'hash',
      'cpu',
      'blocking',
      'async',
      'worker',
      'health',
      'ready',
      'metrics',
      '..',
      '%2e%2e',
      'fetch%2Fasync',
    ),
    fc.string({ maxLength: 8 }).map(encodeURIComponent),
  );
  const path = fc
    .tuple(fc.array(segment, { minLength: 0, maxLength: 3 }), query)
    .map(([segments, q]) => `/${segments.join('/')}${q ? `?${q}` : ''}`);
  const method = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');

  it('only ever get 2xx or 4xx JSON answers, and never reach another host', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, async (m, template) => {
        const p = template.replaceAll('CANARY', String(canary.port));
        const { status, body, type } = await send(m, p);
        expect(status === 200 || (status >= 400 && status < 500), `${m} ${p} → ${status} ${body}`).toBe(true);
        if (type.startsWith('text/plain')) {
          expect(`${status} ${type}`, `${m} ${p}`).toMatch(/^200 text\/plain; version=0\.0\.4/); // /metrics, however spelled
        } else {
          expect(type, `${m} ${p}`).toMatch(/^application\/json/);
          if (m !== 'HEAD') expect(() => JSON.parse(body), `${m} ${p}`).not.toThrow();
        }
      }),
      { numRuns: 400 },
    );
    expect(canary.connections()).toBe(0);
    expect((await send('GET', '/health')).status).toBe(200);
  }, 120_000);
});

describe('no server-side request forgery', () => {
  it.each([
    (p: number) => `/fetch/async?delay=http://127.0.0.1:${p}/`,
    (p: number) => `/fetch/async?url=http://127.0.0.1:${p}/`,
    (p: number) => `/fetch/async?delay=1&bytes=1@127.0.0.1:${p}`,
    (p: number) => `/fetch/async?delay=%2F%2F127.0.0.1%3A${p}`,
    (p: number) => `/fetch/http:%2F%2F127.0.0.1:${p}`,
    (p: number) => `/fetch/async/..%2F..%2F127.0.0.1:${p}`,
    (p: number) => `//127.0.0.1:${p}/fetch/async`,
  ])('refuses %s without connecting anywhere', async (build) => {
    const { status } = await send('GET', build(canary.port));
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(canary.connections()).toBe(0);
  });

  it('ignores Host and forwarding headers: the configured upstream is still the one called', async () => {
    const { status, body } = await send('GET', '/fetch/async?delay=0', {
      host: `127.0.0.1:${canary.port}`,
      'x-forwarded-host': `127.0.0.1:${canary.port}`,
      forwarded: `host=127.0.0.1:${canary.port}`,
    });
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ requests: 1, bytesReceived: 1024 });
    expect(canary.connections()).toBe(0);
  });
});

describe('SQL stays parameterised', () => {
  it.each(["1' or '1'='1", '1; drop table world', '1 union select 1,2', "1'--"])(
    'refuses %j as a number before any query',
    async (payload) => {
      for (const param of ['queries', 'sleep']) {
        const { status, body } = await send('GET', `/db/async?${param}=${encodeURIComponent(payload)}`);
        expect(status).toBe(400);
        expect(JSON.parse(body)).toMatchObject({ param, error: `"${param}" must be plain decimal digits` });
      }
    },
  );

  // HTTP validation stops every string above, so the query layer is tested on its own, with strings
  // that would change the query if they were pasted into its text. Sent as a bound parameter, each is
  // one (invalid) integer value and PostgreSQL refuses it; pasted in, each would return a row.
  it.each(['0 or id = 42', '0 union select 7, 8', "0 or 'x' = 'x'", '42 --'])(
    'sends %j to PostgreSQL as a value, never as SQL',
    async (hostile) => {
      const store = createWorldStore(inject('databaseUrl'), 1);
      try {
        const sneaked = hostile as unknown as number; // what a caller bypassing the types could pass
        await expect(store.findWorld(sneaked, 0)).rejects.toMatchObject({ code: '22P02' }); // invalid_text_representation
        await expect(store.findWorld(sneaked, 1)).rejects.toMatchObject({ code: '22P02' });
        expect((await store.findWorld(42, 0)).id).toBe(42);
      } finally {
        await store.close();
      }
    },
  );
});

describe('oversized and unexpected requests', () => {
  it('refuses a URL longer than the header limit with 431', async () => {
    expect((await send('GET', `/health?${'a'.repeat(20_000)}`)).status).toBe(431);
  });

  it('refuses oversized headers with 431', async () => {
    expect((await send('GET', '/health', { 'x-big': 'b'.repeat(20_000) })).status).toBe(431);
  });

  it('refuses a body, with a length or chunked, with 413 JSON', async () => {
    const withLength = await client.request({ method: 'GET', path: '/health', body: 'x'.repeat(1000) });
    expect(withLength.statusCode).toBe(413);
    expect(await withLength.body.json()).toEqual({ error: 'request bodies are not accepted', allowed: '0 bytes' });
    async function* chunks() {
      yield Buffer.from('chunk');
    }
    const chunked = await client.request({ method: 'GET', path: '/cpu/async', body: Readable.from(chunks()) });
    expect(chunked.statusCode).toBe(413);
    await chunked.body.dump();
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow on every path', async (m) => {
    for (const p of ['/health', '/db/async', '/nowhere']) {
      const res = await client.request({ method: m, path: p });
      expect(res.statusCode).toBe(405);
      expect(res.headers['allow']).toBe('GET, HEAD');
      expect(await res.body.json()).toEqual({ error: 'method not allowed', allowed: 'GET, HEAD' });
    }
  });
});

describe('slow and idle clients', () => {
  it('cuts a client that trickles its headers off with 408 after the headers timeout', async () => {
    const started = performance.now();
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    await new Promise((resolve) => socket.on('close', resolve));
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('keeps an idle keep-alive connection open for a while, then closes it after the keep-alive timeout', async () => {
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const answers = () => received.match(/HTTP\/1\.1 200/g)?.length ?? 0;
    const ask = () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    ask();
    await waitFor('the first answer', () => (answers() === 1 ? true : undefined));
    // Idle for a fifth of the 500 ms timeout: a server that closed at once would not answer this.
    await sleep(100);
    ask();
    await waitFor('the second answer on the same connection', () => (answers() === 2 ? true : undefined), 5_000);
    const idleSince = performance.now();
    await closed;
    // Closed by the timeout, not sooner (load can only make it later); 5 s is a hang guard.
    expect(performance.now() - idleSince).toBeGreaterThanOrEqual(250);
    expect(performance.now() - idleSince).toBeLessThan(5_000);
  });
});
