import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryLogger } from './helpers/memory-logger.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * README, Reliability: "The details go to the JSON log with the request id that every response carries
 * in `X-Request-Id`" — and a caller's own id, when short and plain, is the one used, so a caller can
 * find its request in the server's log by the id it chose.
 */
const { logger, lines } = memoryLogger();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ logger });
});
afterAll(async () => {
  await app.close();
});

const withId = (path: string, id: string) => fetch(app.url + path, { headers: { 'X-Request-Id': id } });

it("answers with the caller's X-Request-Id and logs the request under it", async () => {
  const id = `caller-${process.pid}-${Date.now()}`;
  const res = await withId('/cpu/async?n=10', id);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-request-id')).toBe(id);
  expect(lines.find((l) => l['msg'] === 'request' && l['reqId'] === id)).toMatchObject({
    workload: 'cpu',
    mode: 'async',
    status: 200,
  });
});

it("keeps the caller's id on refusals too (a 400 is the answer a caller most wants to trace)", async () => {
  const id = 'trace_me=400';
  const res = await withId('/cpu/async?n=1e3', id);
  expect(res.status).toBe(400);
  expect(res.headers.get('x-request-id')).toBe(id);
});

it.each([
  ['with a space', 'two words'],
  ['with a semicolon', 'id;drop'],
  ['over 255 characters', 'x'.repeat(256)],
])('replaces an id %s with one of its own', async (_what, given) => {
  const res = await withId('/health', given);
  const id = res.headers.get('x-request-id');
  expect(id).not.toBe(given);
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
});

it('accepts an id of exactly 255 plain characters', async () => {
  const id = 'a'.repeat(255);
  expect((await withId('/health', id)).headers.get('x-request-id')).toBe(id);
});
