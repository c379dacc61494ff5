import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Experiment, runExperiment } from '../../loadtest/advise/experiment.ts';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { discoverPlan } from '../../loadtest/stack/discover.ts';
import { localStack, type TargetProvider } from '../../loadtest/stack/stack.ts';

/**
 * advise's WORKER_CONCURRENCY candidates reach the server: a pool of 2 threads with 4 tasks each is
 * started with that setting (its index says so), and on fetch — a task that only waits for the upstream —
 * it holds 4 times the requests a pool of 2 one-task threads holds. Only the ordering is asserted, with a
 * wide margin: 8 in flight against 2, each 100 ms, whatever the machine's speed.
 */
let targets: TargetProvider | undefined;
let experiment: Experiment;
const starts: string[] = [];
beforeAll(async () => {
  const stack = await localStack({ databaseUrl: inject('databaseUrl'), upstreamUrl: inject('upstreamUrl') });
  targets = stack;
  const discovered = await discoverPlan(stack, {
    ...DEFAULT_OPTIONS,
    workloads: ['fetch'],
    modes: ['worker'],
    params: { fetch: { delay: '100' } },
    connections: [8],
    duration: 2,
    warmup: 1,
    blame: false,
  });
  targets = discovered.targets;
  const one = { mode: 'worker', workers: 2 };
  const four = { mode: 'worker', workers: 2, concurrency: 4 };
  // The real stack, with each server start recorded: the settings it was started with.
  const real = discovered.targets;
  const counting: TargetProvider = {
    start: (w, p, q, c) => {
      starts.push(JSON.stringify([w, c]));
      return real.start(w, p, q, c);
    },
    close: () => real.close(),
  };
  experiment = await runExperiment(
    discovered.options,
    { screen: [one, four], cut: [], finalists: 2, repeats: 2, runs: 6, expectedSeconds: 0 },
    counting,
    {},
  );
}, 120_000);
afterAll(async () => {
  await targets?.close();
});

describe('advise with several tasks per worker thread', () => {
  it('starts the candidate\u2019s server with WORKER_CONCURRENCY and records it on its scenario', () => {
    const [one, four] = experiment.results.scenarios;
    expect(one?.scenario.workerConcurrency).toBeUndefined();
    expect(four?.scenario).toMatchObject({ mode: 'worker', workers: 2, workerConcurrency: 4 });
    expect(four?.runs[0]?.server).toBeTruthy();
  });

  it('starts a server per candidate for the screen, and one per finalist for all of its repeats', () => {
    // Screen: ×2, then ×2 c4; the repeats (2 rounds of both, faster first): one more of each, kept between rounds.
    expect(starts.slice(0, 2)).toEqual(['[2,null]', '[2,4]']);
    expect(starts.slice(2).sort()).toEqual(['[2,4]', '[2,null]']);
    expect(experiment.results.scenarios.map((s) => s.runs.length)).toEqual([2, 2]);
  });

  it('serves far more of a waiting workload with 4 tasks per thread than with 1', () => {
    const [one, four] = experiment.table;
    expect(four?.candidate).toEqual({ mode: 'worker', workers: 2, concurrency: 4 });
    // 2 slots of 100 ms: about 20 req/s; 8 slots: about 80. Half the ideal ratio is the margin.
    expect(four?.rps[0], JSON.stringify(experiment.table)).toBeGreaterThan(2 * (one?.rps[0] ?? 0));
  });
});
