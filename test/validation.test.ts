import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Asserts a 400 JSON answer that says what is wrong (`error`), with which parameter, and what is allowed. */
async function expect400(path: string, param: string, allowed: RegExp, error: string) {
  const res = await app.get(path);
  expect(res.status, path).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: string; param: string; allowed: string };
  expect(body.error, path).toBe(error);
  expect(body.param, path).toBe(param);
  expect(body.allowed, path).toMatch(allowed);
}

describe('malformed numbers are refused, not coerced', () => {
  it.each(['1e3', '0x10', '', '1.5', '-1', '+5', ' 5', '5 ', '١٢', 'NaN', 'Infinity', '99999999999999999999'])(
    'queries=%j → 400',
    async (raw) => {
      await expect400(
        `/db/async?queries=${encodeURIComponent(raw)}`,
        'queries',
        /^whole number 1\.\.500$/,
        '"queries" must be plain decimal digits',
      );
    },
  );

  it('refuses a repeated parameter', async () => {
    await expect400('/fetch/async?count=1&count=2', 'count', /1\.\.100/, 'parameter "count" is given more than once');
  });

  it('refuses an array-shaped parameter name as unknown', async () => {
    await expect400('/fetch/async?count[]=1', 'count[]', /delay, bytes, count/, 'unknown parameter "count[]"');
  });

  it('refuses a parameter the endpoint does not know, listing the known ones', async () => {
    await expect400('/cpu/async?size=10', 'size', /task, n/, 'unknown parameter "size"');
  });
});

describe('out-of-range values name the allowed range', () => {
  it.each([
    ['/db/blocking?queries=0', 'queries', /1\.\.500/, '"queries" is out of range'],
    ['/db/blocking?queries=501', 'queries', /1\.\.500/, '"queries" is out of range'],
    ['/db/async?sleep=10001', 'sleep', /0\.\.10000 ms/, '"sleep" is out of range'],
    [
      '/db/blocking?queries=500&sleep=100',
      'sleep',
      /0\.\.60 ms for queries=500/,
      'queries × sleep must not exceed 30000 ms',
    ],
    ['/fetch/blocking?delay=10001', 'delay', /0\.\.10000 ms/, '"delay" is out of range'],
    ['/fetch/blocking?bytes=1048577', 'bytes', /0\.\.1048576/, '"bytes" is out of range'],
    ['/fetch/blocking?count=101', 'count', /1\.\.100/, '"count" is out of range'],
    [
      '/fetch/blocking?count=100&delay=1000',
      'count',
      /1\.\.30 for delay=1000/,
      'count × delay must not exceed 30000 ms',
    ],
    [
      '/fetch/async?count=100&bytes=1048576',
      'count',
      /1\.\.32 for bytes=1048576/,
      'count × bytes must not exceed 33554432',
    ],
    ['/hash/blocking?cost=4000001', 'cost', /4000000/, '"cost" is out of range'],
    [
      '/hash/blocking?algo=scrypt&cost=1000',
      'cost',
      /power of two 1024\.\.131072/,
      '"cost" is out of range for algo scrypt',
    ],
    [
      '/hash/blocking?algo=scrypt&cost=262144',
      'cost',
      /power of two 1024\.\.131072/,
      '"cost" is out of range for algo scrypt',
    ],
    ['/hash/blocking?algo=sha256&cost=1000001', 'cost', /1\.\.1000000/, '"cost" is out of range for algo sha256'],
    ['/cpu/blocking?n=500000001', 'n', /0\.\.500000000/, '"n" is out of range'],
    ['/cpu/blocking?task=primes&n=20000001', 'n', /0\.\.20000000/, '"n" is out of range for task primes'],
  ])('%s → 400', async (path, param, allowed, error) => {
    await expect400(path, param, allowed, error);
  });
});

describe('unknown words', () => {
  it('refuses an unknown algo, listing the known ones', async () => {
    await expect400(
      '/hash/async?algo=md5',
      'algo',
      /^pbkdf2 \| scrypt \| sha256$/,
      '"algo" must be one of the listed values',
    );
  });

  it('refuses an unknown task, listing the known ones', async () => {
    await expect400(
      '/cpu/async?task=fib',
      'task',
      /^sum-squares \| primes$/,
      '"task" must be one of the listed values',
    );
  });

  it('answers 404 listing the modes for an unknown mode', async () => {
    const res = await app.get('/hash/threads');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown mode', modes: ['blocking', 'async', 'worker'] });
  });

  it('answers 404 listing the workloads for an unknown workload', async () => {
    const res = await app.get('/sleep/async');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown workload', workloads: ['db', 'fetch', 'hash', 'cpu'] });
  });

  it('answers 404 with JSON for any other path', async () => {
    const res = await app.get('/no/such/path');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe('not found');
  });
});

it('lists every workload with its parameters, defaults and limits at /', async () => {
  const res = await app.get('/');
  expect(res.status).toBe(200);
  const index = (await res.json()) as {
    endpoints: Array<{ path: string; params?: Record<string, { default: unknown; max?: number }> }>;
  };
  const paths = index.endpoints.map((e) => e.path);
  expect(paths).toEqual(
    expect.arrayContaining([
      '/',
      '/health',
      '/ready',
      '/metrics',
      '/db/:mode',
      '/fetch/:mode',
      '/hash/:mode',
      '/cpu/:mode',
    ]),
  );
  const db = index.endpoints.find((e) => e.path === '/db/:mode');
  expect(db?.params?.['queries']).toMatchObject({ default: 1, max: 500 });
  expect(db?.params?.['sleep']).toMatchObject({ default: 0, max: 10_000 });
});
