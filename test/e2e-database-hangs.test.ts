import { expect, inject, it } from 'vitest';
import { startTestApp } from './helpers/test-app.ts';
import { proxiedDatabase } from './helpers/tcp-proxy.ts';
import { timed } from './helpers/timed.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * A database that accepts connections and never answers: waits of seconds by design (the request
 * deadline, postgres.js's 5 s connect timeout), so e2e. The fast tier keeps a database that goes away
 * (db-restart.test.ts) and one that refuses (reliability.test.ts).
 */
it('answers 504 at the deadline instead of hanging, keeps /health up, and recovers when it answers again', async () => {
  const { proxy, url } = await proxiedDatabase(inject('databaseUrl'));
  const app = await startTestApp({ databaseUrl: url, requestTimeoutMs: 1500 });
  try {
    expect((await timed(app, '/db/async')).status).toBe(200);
    await proxy.stall();
    for (const mode of ['async', 'worker']) {
      const answer = await timed(app, `/db/${mode}`);
      // A database that accepts and never answers is slow, not away: the deadline ends the wait.
      expect(answer.status, mode).toBe(504);
      expect(answer.body, mode).toEqual({ error: 'the request took longer than its deadline', deadlineMs: 1500 });
    }
    expect((await timed(app, '/health')).status).toBe(200);
    await proxy.restore();
    await waitFor(
      'a query to succeed again',
      async () => ((await timed(app, '/db/async')).status === 200 ? true : undefined),
      15_000,
      200,
    );
  } finally {
    await app.close();
    await proxy.close();
  }
});

it('freezes the event loop in blocking mode until the connect timeout, then answers 503', async () => {
  const { proxy, url } = await proxiedDatabase(inject('databaseUrl'));
  const app = await startTestApp({ databaseUrl: url });
  try {
    expect((await timed(app, '/db/blocking')).status).toBe(200);
    await proxy.stall();
    // The app shares this thread, so a timer here stops ticking exactly while its loop is frozen.
    let lastTick = performance.now();
    let longestFreeze = 0;
    const ticker = setInterval(() => {
      longestFreeze = Math.max(longestFreeze, performance.now() - lastTick);
      lastTick = performance.now();
    }, 10);
    const answer = await timed(app, '/db/blocking');
    clearInterval(ticker);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: 'the database is unavailable', code: 'CONNECT_TIMEOUT' });
    // postgres.js gives up connecting after connect_timeout (5 s): the freeze lasts one such wait,
    // not two (no retry on a connection that never opened) and not the 65 s backstop of the bridge.
    // It is a timer in another thread, so a busy CPU barely stretches it.
    expect(longestFreeze).toBeGreaterThanOrEqual(5_000);
    expect(longestFreeze).toBeLessThan(10_000);
  } finally {
    await app.close();
    await proxy.close();
  }
}, 60_000);
