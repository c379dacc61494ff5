import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../lib/http-error.ts';
import { parseParams } from '../lib/params.ts';
import { payload } from './payload.ts';

const DELAY_MAX_MS = 60_000;
const NO_BODY_STATUSES = new Set([204, 205, 304]);

const delayParams = {
  bytes: { kind: 'int', min: 0, max: 16 * 1024 * 1024, default: 0, doc: 'response body size' },
  status: { kind: 'int', min: 200, max: 599, default: 200, doc: 'status code to answer with' },
  jitter: { kind: 'int', min: 0, max: 10_000, default: 0, unit: 'ms', doc: 'random extra delay, 0..jitter ms' },
} as const;

/**
 * The stand-in for the seeds' slow remote sites: `GET /delay/:ms` answers after `ms` milliseconds
 * with `bytes` deterministic bytes and the chosen status. It runs in its own process, so a server
 * blocking its own event loop cannot slow it down.
 */
export function createUpstreamApp(): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/delay/:ms', async function delayed(c) {
    const msRaw = c.req.param('ms');
    if (!/^\d{1,6}$/.test(msRaw) || Number(msRaw) > DELAY_MAX_MS) {
      throw new HttpError(400, '"ms" is not a valid delay', {
        param: 'ms',
        allowed: `whole number 0..${DELAY_MAX_MS}`,
      });
    }
    const { bytes, status, jitter } = parseParams(delayParams, new URL(c.req.url).searchParams);
    const wait = Number(msRaw) + (jitter > 0 ? Math.floor(Math.random() * (jitter + 1)) : 0);
    if (wait > 0) await sleep(wait);
    // These statuses forbid a body; the Response constructor would throw on one.
    if (NO_BODY_STATUSES.has(status)) return c.body(null, status as 204);
    return c.body(payload(bytes), status as ContentfulStatusCode, { 'Content-Type': 'application/octet-stream' });
  });
  app.notFound((c) => c.json({ error: 'not found', endpoints: ['/health', '/delay/:ms?bytes=&status=&jitter='] }, 404));
  app.onError((err, c) =>
    err instanceof HttpError
      ? c.json(err.toBody(), err.status as ContentfulStatusCode)
      : c.json({ error: 'internal error' }, 500),
  );
  return app;
}
