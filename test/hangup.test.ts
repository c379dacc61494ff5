import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hangUpRepeatedly, neverFailsAWellBehavedClient, WORK } from './helpers/hang-ups.ts';
import { memoryLogger } from './helpers/memory-logger.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Clients hang up all the time. One that does must never fail another client's request, in any mode
 * of any workload (test/helpers/hang-ups.ts runs each case).
 */
let app: TestApp;
const { logger, lines } = memoryLogger();
beforeAll(async () => {
  app = await startTestApp({ dbPool: 2, workers: 2, workerDbPool: 2, logger });
});
afterAll(() => app.close());

describe('a client that hangs up', () => {
  // The premise of every case below is a count of real hang-ups, so the count must not take an answer
  // for one. /health answers in milliseconds, far inside an abort 10 s later: every request is an
  // answer. (Seen red with hangUpRepeatedly counting every request as a hang-up, which the cases below
  // cannot see: their abandoned work outlasts every abort.)
  it('counts a request answered before its abort as answered, not as a hang-up', async () => {
    const { hungUp, answered } = await hangUpRepeatedly(`${app.url}/health`, 300, () => 10_000);
    expect(answered).toBeGreaterThan(0);
    expect(hungUp).toBe(0);
  });

  // Blocking mode's cases are e2e-hangup-blocking.test.ts's: nothing is cancelled there, and each
  // abandoned request holds the loop for its whole work.
  it.each(Object.keys(WORK).flatMap((workload) => (['async', 'worker'] as const).map((mode) => [workload, mode])))(
    'never fails a well-behaved client: %s/%s',
    (workload, mode) => neverFailsAWellBehavedClient(app, lines, workload, mode),
    30_000,
  );

  it('gets 499, logged at info, and counted as client_closed rather than as a database failure', async () => {
    const controller = new AbortController();
    const gone = fetch(`${app.url}/db/async?sleep=5000`, { signal: controller.signal }).catch(() => 'aborted');
    await waitFor(async () => (await sleepingQueries()) > 0);
    controller.abort();
    expect(await gone).toBe('aborted');
    await waitFor(() => lines.some((l) => l['status'] === 499 && l['workload'] === 'db'));
    expect(lines.find((l) => l['status'] === 499 && l['workload'] === 'db')).toMatchObject({
      level: 30,
      mode: 'async',
    });
    const metrics = await (await app.get('/metrics')).text();
    expect(metrics).toMatch(
      /^looplab_request_failures_total\{workload="db",mode="async",reason="client_closed"\} [1-9]/m,
    );
    expect(metrics).not.toMatch(/reason="db_unavailable"/);
  });
});

const sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

/** Queries of any client still sleeping in `pg_sleep` on the database server. */
async function sleepingQueries(): Promise<number> {
  const [row] = await sql<[{ n: number }]>`
    select count(*)::int as n from pg_stat_activity
    where state = 'active' and query like '%pg_sleep%' and pid <> pg_backend_pid()`;
  return row?.n ?? 0;
}

/** Polls `check` every 50 ms; fails after `limitMs` (a hang guard, far above the expected time). */
async function waitFor(check: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

describe('an abandoned query', () => {
  it.each(['async', 'worker'])('ends on the database server soon after its %s request was abandoned', async (mode) => {
    await waitFor(async () => (await sleepingQueries()) === 0);
    const controller = new AbortController();
    // 20 s of pg_sleep: if it were left to finish, it would still be running long after the checks below.
    const gone = fetch(`${app.url}/db/${mode}?sleep=10000&queries=2`, { signal: controller.signal }).catch(
      () => 'aborted',
    );
    await waitFor(async () => (await sleepingQueries()) === 2);
    controller.abort();
    expect(await gone).toBe('aborted');
    // Bound: a cancel request (async), or PostgreSQL's check for a vanished client every second (worker,
    // whose thread is terminated with its connections). The limit is only a hang guard well below 10 s.
    await waitFor(async () => (await sleepingQueries()) === 0, 6_000);
  });
});
