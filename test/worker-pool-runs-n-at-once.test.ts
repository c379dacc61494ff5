import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Registry } from '../server/workloads/registry.ts';
import { spinWorkload, type SpinRun } from './helpers/spin-workload.ts';
import { startTestApp } from './helpers/test-app.ts';

/**
 * README, The three modes: CPU work in `worker` mode runs "in a piscina worker_threads pool (`WORKERS`
 * threads)", which is why it can use N cores where blocking uses one. Shown by what each task reports
 * from inside its thread — which thread ran it, and when it started and ended — not by throughput, so
 * a loaded machine cannot make it pass or fail: N threads run N tasks at the same time, never more.
 */

/** The largest number of tasks running at one moment, from their start and end times. */
function mostAtOnce(tasks: readonly SpinRun[]): number {
  const edges = tasks.flatMap((t) => [
    { at: t.start, step: 1 },
    { at: t.end, step: -1 },
  ]);
  // An end and a start at the same instant do not overlap: ends first.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let running = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (running += e.step));
  return most;
}

let spin: Awaited<ReturnType<typeof spinWorkload>>;
let registry: Registry;
beforeAll(async () => {
  spin = await spinWorkload();
  registry = spin.registry;
});
afterAll(async () => {
  await spin.remove();
});

it.each([1, 2, 3])('WORKERS=%i runs that many CPU tasks at the same time, on that many threads', async (workers) => {
  const app = await startTestApp({ workers, workloads: registry, requestTimeoutMs: 60_000 });
  try {
    const tasks = 2 * workers + 1;
    const answers = await Promise.all(Array.from({ length: tasks }, () => app.get('/spin/worker?ms=300')));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const ran = await Promise.all(answers.map(async (a) => (await a.json()) as SpinRun));
    expect(mostAtOnce(ran)).toBe(workers);
    expect(new Set(ran.map((r) => r.threadId)).size).toBe(workers);
  } finally {
    await app.close();
  }
});

it('counts overlap from start and end times, ends before starts at the same instant', () => {
  expect(mostAtOnce([])).toBe(0);
  expect(
    mostAtOnce([
      { threadId: 1, start: 0, end: 10 },
      { threadId: 2, start: 10, end: 20 },
    ]),
  ).toBe(1);
  expect(
    mostAtOnce([
      { threadId: 1, start: 0, end: 10 },
      { threadId: 2, start: 5, end: 20 },
      { threadId: 3, start: 9, end: 11 },
    ]),
  ).toBe(3);
});
