import postgres from 'postgres';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { memoryLogger } from './helpers/memory-logger.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Clients hang up all the time. One that does must never fail another client's request, in any mode
 * of any workload. Each case runs well-behaved clients beside clients that disconnect mid-request.
 */
const WORK: Record<string, { abandoned: string; wellBehaved: string }> = {
  // More queries per request than the pool has connections, so postgres.js pipelines them: a cancel
  // request meant for an abandoned query can then land on a neighbour's.
  db: { abandoned: 'sleep=300', wellBehaved: 'queries=3&sleep=20' },
  fetch: { abandoned: 'delay=300', wellBehaved: 'delay=20&count=3' },
  hash: { abandoned: 'cost=200000', wellBehaved: 'cost=2000' },
  cpu: { abandoned: 'n=30000000', wellBehaved: 'n=20000' },
};
const MODES = ['blocking', 'async', 'worker'] as const;
/**
 * How long each case sends for. 1 s gives each of the four hanging-up clients several aborts (each
 * within 120 ms) and each well-behaved client several answers; the checks are counts, not speeds.
 */
const WINDOW_MS = 1_000;

let app: TestApp;
const { logger, lines } = memoryLogger();
beforeAll(async () => {
  app = await startTestApp({ dbPool: 2, workers: 2, workerDbPool: 2, logger });
});
afterAll(() => app.close());

/** A random 10–120 ms: each abandoned request is aborted somewhere inside its work. */
const midRequest = () => 10 + Math.random() * 110;

/**
 * Sends requests one after another for `ms`, each abandoned after `abortAfterMs()`, and counts the
 * ones that really were: a request answered before its abort is not a hang-up.
 */
async function hangUpRepeatedly(
  url: string,
  ms: number,
  abortAfterMs = midRequest,
): Promise<{ hungUp: number; answered: number }> {
  let hungUp = 0;
  let answered = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), abortAfterMs());
    const outcome = await fetch(url, { signal: controller.signal })
      .then(async (res) => {
        await res.arrayBuffer();
        return 'answered';
      })
      .catch(() => 'hung up');
    clearTimeout(timer);
    if (outcome === 'answered') answered++;
    else hungUp++;
  }
  return { hungUp, answered };
}

/** Sends requests one after another on a keep-alive agent for `ms` and returns every status. */
async function askRepeatedly(url: string, ms: number, agent: Agent): Promise<number[]> {
  const statuses: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const res = await request(url, { dispatcher: agent });
    await res.body.arrayBuffer();
    statuses.push(res.statusCode);
  }
  return statuses;
}

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

  const cases = Object.keys(WORK).flatMap((workload) => MODES.map((mode) => [workload, mode] as const));
  it.each(cases)(
    'never fails a well-behaved client: %s/%s',
    async (workload, mode) => {
      const { abandoned, wellBehaved } = WORK[workload] ?? { abandoned: '', wellBehaved: '' };
      const agent = new Agent({ connections: 8 });
      const failuresBefore = lines.filter((l) => l['level'] === 50).length;
      const [wellBehavedStatuses, hangUps] = await Promise.all([
        Promise.all(
          Array.from({ length: 4 }, () =>
            askRepeatedly(`${app.url}/${workload}/${mode}?${wellBehaved}`, WINDOW_MS, agent),
          ),
        ),
        Promise.all(
          Array.from({ length: 4 }, () => hangUpRepeatedly(`${app.url}/${workload}/${mode}?${abandoned}`, WINDOW_MS)),
        ),
      ]);
      await agent.close();
      const statuses = wellBehavedStatuses.flat();
      // The premise: clients did hang up mid-request (the abandoned work outlasts the 120 ms abort), and
      // a body cut off by the abort counts as a hang-up too, not as an answer.
      expect(hangUps.reduce((n, h) => n + h.hungUp, 0)).toBeGreaterThanOrEqual(4);
      expect(statuses.length).toBeGreaterThanOrEqual(4);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      // Nothing a hang-up causes is logged as an error.
      expect(lines.filter((l) => l['level'] === 50).slice(failuresBefore)).toEqual([]);
    },
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
