import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Work that keeps its mode busy for well over a second, per workload. */
const LONG_WORK: Record<string, string> = {
  cpu: 'cpu/MODE?task=sum-squares&n=500000000',
  hash: 'hash/MODE?algo=pbkdf2&cost=4000000',
  db: 'db/MODE?queries=1&sleep=1500',
  fetch: 'fetch/MODE?delay=1500&count=1',
};

/**
 * Starts the long request, waits until the server has surely begun it, then asks /health.
 * Returns when each answer arrived, on one clock.
 */
async function raceHealthAgainst(path: string): Promise<{ workDone: number; healthDone: number; healthMs: number }> {
  const started = performance.now();
  const work = app.get(`/${path}`).then(async (res) => {
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return performance.now() - started;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const healthSent = performance.now();
  const health = app.get('/health').then(async (res) => {
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return performance.now() - started;
  });
  const [workDone, healthDone] = await Promise.all([work, health]);
  return { workDone, healthDone, healthMs: healthDone - (healthSent - started) };
}

describe.each(Object.keys(LONG_WORK))('%s', (workload) => {
  const path = LONG_WORK[workload] ?? '';

  it('blocking mode holds /health until the work is done', async () => {
    const { workDone, healthDone } = await raceHealthAgainst(path.replace('MODE', 'blocking'));
    expect(healthDone).toBeGreaterThanOrEqual(workDone - 5);
  });

  it.each(['async', 'worker'])('%s mode answers /health while the work runs', async (mode) => {
    const { workDone, healthDone, healthMs } = await raceHealthAgainst(path.replace('MODE', mode));
    expect(healthDone).toBeLessThan(workDone);
    // Generous: the point is "not held for the whole request", not a latency target.
    expect(healthMs).toBeLessThan(500);
  });
});
