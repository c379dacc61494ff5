import { expect, it } from 'vitest';
import { memoryLogger } from './helpers/memory-logger.ts';
import { startTestApp } from './helpers/test-app.ts';

it('logs each request as JSON with its id, workload, mode, status and duration, and 5xx details only in the log', async () => {
  const { logger, lines } = memoryLogger();
  // An upstream address where nothing listens: every fetch fails with 502.
  const app = await startTestApp({ logger, upstreamUrl: 'http://127.0.0.1:9' });
  try {
    const ok = await app.get('/cpu/async?n=10');
    expect(ok.status).toBe(200);
    const failed = await app.get('/fetch/async?delay=0');
    expect(failed.status).toBe(502);
    const body = await failed.text();
    expect(body).not.toMatch(/ECONNREFUSED.*:9|at \w+ \(|127\.0\.0\.1:9/);
    const requestId = failed.headers.get('x-request-id');
    expect(requestId).toBeTruthy();

    const requestLine = lines.find((l) => l['msg'] === 'request' && l['reqId'] === ok.headers.get('x-request-id'));
    expect(requestLine).toMatchObject({
      level: 20,
      workload: 'cpu',
      mode: 'async',
      status: 200,
      durationMs: expect.any(Number),
    });
    const errorLine = lines.find((l) => l['msg'] === 'request failed');
    expect(errorLine).toMatchObject({ level: 50, reqId: requestId, workload: 'fetch', mode: 'async', status: 502 });
    expect(JSON.stringify(errorLine?.['err'])).toMatch(/ECONNREFUSED/);
  } finally {
    await app.close();
  }
});
