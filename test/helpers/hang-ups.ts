import { Agent, request } from 'undici';
import { expect } from 'vitest';
import type { TestApp } from './test-app.ts';

/**
 * Clients that hang up beside well-behaved ones (hangup.test.ts, e2e-hangup-blocking.test.ts). Per
 * workload: what the clients that hang up ask for (work that outlasts every abort) and what the
 * well-behaved ones ask for.
 */
export const WORK: Record<string, { abandoned: string; wellBehaved: string }> = {
  // More queries per request than the pool has connections, so postgres.js pipelines them: a cancel
  // request meant for an abandoned query can then land on a neighbour's.
  db: { abandoned: 'sleep=300', wellBehaved: 'queries=3&sleep=20' },
  fetch: { abandoned: 'delay=300', wellBehaved: 'delay=20&count=3' },
  hash: { abandoned: 'cost=200000', wellBehaved: 'cost=2000' },
  cpu: { abandoned: 'n=30000000', wellBehaved: 'n=20000' },
};
/**
 * How long each case sends for. 1 s gives each of the four hanging-up clients several aborts (each
 * within 120 ms) and each well-behaved client several answers; the checks are counts, not speeds.
 */
export const WINDOW_MS = 1_000;

/** A random 10–120 ms: each abandoned request is aborted somewhere inside its work. */
const midRequest = () => 10 + Math.random() * 110;

/**
 * Sends requests one after another for `ms`, each abandoned after `abortAfterMs()`, and counts the
 * ones that really were: a request answered before its abort is not a hang-up.
 */
export async function hangUpRepeatedly(
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

/**
 * One case: four well-behaved clients beside four that hang up mid-request, on `workload` in `mode`,
 * for WINDOW_MS. Every well-behaved request gets its 200, and nothing is logged as an error (`lines`,
 * the app's log).
 */
export async function neverFailsAWellBehavedClient(
  app: TestApp,
  lines: ReadonlyArray<Record<string, unknown>>,
  workload: string,
  mode: string,
): Promise<void> {
  const { abandoned, wellBehaved } = WORK[workload] ?? { abandoned: '', wellBehaved: '' };
  const agent = new Agent({ connections: 8 });
  const failuresBefore = lines.filter((l) => l['level'] === 50).length;
  const [wellBehavedStatuses, hangUps] = await Promise.all([
    Promise.all(
      Array.from({ length: 4 }, () => askRepeatedly(`${app.url}/${workload}/${mode}?${wellBehaved}`, WINDOW_MS, agent)),
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
}
