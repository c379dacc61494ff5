import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { buildAdvice } from '../../loadtest/advise/advice.ts';
import { candidateLabel, type Evidence, simplerFirst } from '../../loadtest/advise/evidence.ts';
import { offloadCost } from '../../loadtest/advise/offload.ts';
import { parseAdviseArgs } from '../../loadtest/advise/options.ts';
import { candidatesFor, planExperiment, screenOrder } from '../../loadtest/advise/plan.ts';

const labels = (cs: ReadonlyArray<Parameters<typeof candidateLabel>[0]>) => cs.map(candidateLabel);

describe('the experiment plan', () => {
  it('has every mode, and worker pools of 1 to 2 × cores, screened modes first, then one per core, then one thread', () => {
    const all = candidatesFor(['blocking', 'async', 'worker'], { cores: 2 });
    expect(labels(all)).toEqual(['blocking', 'async', 'worker ×1', 'worker ×2', 'worker ×3', 'worker ×4']);
    expect(labels(screenOrder(all, 2))).toEqual([
      'blocking',
      'async',
      'worker ×2',
      'worker ×1',
      'worker ×3',
      'worker ×4',
    ]);
  });

  it('cuts the least telling candidates to fit the budget, and names them', () => {
    const ordered = screenOrder(candidatesFor(['async', 'worker'], { cores: 2 }), 2);
    const costs = { runSeconds: 10, startSeconds: 10, repeats: 5 };
    // 10 s start + 3 × 5 × 10 s repeats = 160 s fixed; 200 s leaves 4 screen runs of 5.
    const plan = planExperiment(ordered, { ...costs, budgetSeconds: 200 });
    expect(labels(plan.screen)).toEqual(['async', 'worker ×2', 'worker ×1', 'worker ×3']);
    expect(labels(plan.cut)).toEqual(['worker ×4']);
    expect(plan.runs).toBe(4 + 15);
    expect(plan.expectedSeconds).toBe(10 + 19 * 10);
    expect(planExperiment(ordered, { ...costs, budgetSeconds: 1000 }).cut).toEqual([]);
  });

  it('adds, for wait-type work only, a pool of one thread per core with 4 tasks per thread, and 16 when the load can fill them', () => {
    const modes = ['blocking', 'async', 'worker'] as const;
    expect(labels(candidatesFor(modes, { cores: 2, waitType: false, connections: 8 }))).not.toContain('worker ×2 c4');
    // The default load, 4 × cores in flight: 2 threads × 4 tasks already hold all 8, so 16 would add nothing.
    const waits = candidatesFor(modes, { cores: 2, waitType: true, connections: 8 });
    expect(labels(waits)).toEqual([
      'blocking',
      'async',
      'worker ×1',
      'worker ×2',
      'worker ×3',
      'worker ×4',
      'worker ×2 c4',
    ]);
    expect(waits.at(-1)).toEqual({ mode: 'worker', workers: 2, concurrency: 4 });
    const heavy = candidatesFor(modes, { cores: 2, waitType: true, connections: 9 });
    expect(labels(heavy).slice(-2)).toEqual(['worker ×2 c4', 'worker ×2 c16']);
    // After every plain pool size in the screen, so a tight budget cuts them first.
    expect(labels(screenOrder(heavy, 2))).toEqual([
      'blocking',
      'async',
      'worker ×2',
      'worker ×1',
      'worker ×3',
      'worker ×4',
      'worker ×2 c4',
      'worker ×2 c16',
    ]);
    const plan = planExperiment(screenOrder(heavy, 2), {
      runSeconds: 10,
      startSeconds: 10,
      repeats: 5,
      budgetSeconds: 230,
    });
    expect(labels(plan.cut)).toEqual(['worker ×2 c16']);
  });

  it('counts fewer threads simpler, then fewer tasks per thread', () => {
    const sorted = [
      { mode: 'worker', workers: 2, concurrency: 16 },
      { mode: 'worker', workers: 3 },
      { mode: 'worker', workers: 2, concurrency: 4 },
      { mode: 'worker', workers: 2 },
      { mode: 'async' },
    ].sort(simplerFirst);
    expect(labels(sorted)).toEqual(['async', 'worker ×2', 'worker ×2 c4', 'worker ×2 c16', 'worker ×3']);
  });

  it('refuses a budget too short for the modes and one pool size, naming the time the smallest experiment takes', () => {
    const ordered = screenOrder(candidatesFor(['async', 'worker'], { cores: 2 }), 2);
    // Two candidates screened, two finalists: 10 s + (2 + 2 × 5) × 10 s = 130 s.
    expect(() => planExperiment(ordered, { runSeconds: 10, startSeconds: 10, repeats: 5, budgetSeconds: 129 })).toThrow(
      '--budget: 129 s is too short; the smallest experiment (async, worker ×2 screened, then 2 × 5 repeats) takes about 130 s',
    );
    const two = planExperiment(ordered, { runSeconds: 10, startSeconds: 10, repeats: 5, budgetSeconds: 130 });
    expect(two).toMatchObject({ finalists: 2, runs: 12, expectedSeconds: 130 });
  });
});

function row(
  mode: string,
  workers: number | undefined,
  cpuMsPerRequest: number | null,
  rps = [100, 100, 100, 100],
): Evidence {
  return {
    candidate: workers === undefined ? { mode } : { mode, workers },
    rps,
    p99Ms: 10,
    healthP99Ms: 2,
    loopBusy: 0.5,
    cpuMsPerRequest,
    rssMb: 100,
    refusedShare: 0,
    othersCores: null,
  };
}

describe('the offload cost per call', () => {
  const hop = (
    inlineUs: number,
    offloadedUs: number,
    reportedWorkUs: number,
    pairedHopUs = [offloadedUs - inlineUs],
  ) => ({
    inlineMode: 'async',
    inlineUs,
    offloadedUs,
    reportedWorkUs,
    pairedHopUs,
    groupSize: 100,
    groups: 5,
  });

  it('calls a hop lost in the noise when its paired groups disagree on its sign, as a heavy function shows', () => {
    // hash (pbkdf2, 13.7 ms of work) on a quiet machine: the medians put the hop at −5 µs; the groups did not agree.
    const heavy = offloadCost(hop(15_133, 15_128, 13_730, [-310, 40, -5, 220, -120]));
    expect(heavy.hopUs).toBe(-5);
    expect(heavy.hopRangeUs).toEqual({ min: -310, max: 220 });
    expect(heavy.hopWithinNoise).toBe(true);
    // Every pair saw a hop, however small: it is measured, not noise. Zero at an end still counts as noise.
    expect(offloadCost(hop(300, 700, 50, [380, 400, 420, 390, 410])).hopWithinNoise).toBe(false);
    expect(offloadCost(hop(300, 300, 50, [0, 10, 20])).hopWithinNoise).toBe(true);
    expect(offloadCost(hop(300, 280, 50, [-30, -20, -10])).hopWithinNoise).toBe(false);
  });

  it('is the CPU per request through one thread minus the inline one, weighed against the function alone', () => {
    // cpu with n = 1000: 300 µs of HTTP handling inline, 50 µs of which the function; the hop adds 400.
    const tiny = offloadCost(hop(300, 700, 50));
    expect(tiny).toMatchObject({ inlineMode: 'async', inlineUs: 300, offloadedUs: 700, workUs: 50, hopUs: 400 });
    expect(tiny.costsMoreThanItSaves).toBe(true);
    // 40 ms of work: the same hop is 1% of it.
    expect(offloadCost(hop(40_300, 40_700, 40_000)).costsMoreThanItSaves).toBe(false);
    // The hop equal to the work counts as costing more: it saves the loop nothing.
    expect(offloadCost(hop(300, 350, 50)).costsMoreThanItSaves).toBe(true);
    expect(offloadCost(hop(300, 349, 50)).costsMoreThanItSaves).toBe(false);
  });

  it('weighs a function that waits by the CPU it holds, not by its wait', () => {
    // fetch: 50 ms reported (the upstream's delay), 400 µs of CPU inline; the hop 300 µs saves that little.
    const waiting = offloadCost(hop(400, 700, 50_000));
    expect(waiting.workUs).toBe(400);
    expect(waiting.costsMoreThanItSaves).toBe(false);
    expect(offloadCost(hop(400, 800, 50_000)).costsMoreThanItSaves).toBe(true);
  });
});

describe('the answer', () => {
  it('states the pool size against the cores, notes the shared load generator, and names what was cut', () => {
    const table = [
      row('async', undefined, 10, [100, 102, 98, 101, 99]),
      row('worker', 2, 10, [190, 195, 185, 192, 188]),
      row('worker', 1, 10, [96, 95, 97, 96, 94]),
    ];
    const advice = buildAdvice('cpu', table, {
      cores: 2,
      generatorSharesCores: true,
      cut: [{ mode: 'worker', workers: 4 }],
      rules: {},
    });
    expect(advice.recommended).toEqual({ mode: 'worker', workers: 2 });
    expect(advice.paragraph).toMatch(/^Run cpu in worker mode with a pool of 2 threads \(1 per core\)\./);
    expect(advice.paragraph).toMatch(/load generator shared/);
    expect(advice.cut).toEqual(['worker ×4']);
    expect(advice.table.map((r) => r.label)).toEqual(['worker ×2', 'async', 'worker ×1']);
    expect(advice.table[1]?.why).toMatch(/^serves 0\.5× worker ×2, beyond noise \(Mann–Whitney p = 0\.008\)$/);
  });
  it('names the tasks per thread of a pool that runs several, and prefers one task per thread within noise', () => {
    const table = [
      row('async', undefined, 1, [100, 102, 98, 101, 99]),
      row('worker', 2, 1, [40, 41, 39, 40, 42]),
      { ...row('worker', 2, 1, [380, 390, 385, 392, 388]), candidate: { mode: 'worker', workers: 2, concurrency: 4 } },
    ];
    const advice = buildAdvice('fetch', table, { cores: 2, generatorSharesCores: true, cut: [], rules: {} });
    expect(advice.recommended).toEqual({ mode: 'worker', workers: 2, concurrency: 4 });
    expect(advice.paragraph).toMatch(
      /^Run fetch in worker mode with a pool of 2 threads \(1 per core\), each running 4 tasks at once \(WORKER_CONCURRENCY=4\)\./,
    );
    expect(advice.table.map((r) => r.label)).toContain('worker ×2 c4');
    const tie = [
      row('worker', 2, 1, [200, 204, 197, 202, 199]),
      { ...row('worker', 2, 1, [201, 198, 203, 200, 205]), candidate: { mode: 'worker', workers: 2, concurrency: 4 } },
    ];
    expect(buildAdvice('fetch', tie, { cores: 2, generatorSharesCores: true, cut: [], rules: {} }).recommended).toEqual(
      {
        mode: 'worker',
        workers: 2,
      },
    );
  });

  it('says when the runs could not decide, and how much of the machine other processes held', () => {
    const busy = { othersCores: 1.4 };
    const table = [
      { ...row('async', undefined, 36, [10.4, 32.0, 7.9, 5.1, 5.1]), ...busy },
      { ...row('worker', 2, 33, [14.4, 43.8, 15.4, 10.8, 4.5]), ...busy },
    ];
    const hop = {
      inlineMode: 'async',
      inlineUs: 1500,
      offloadedUs: 2200,
      pairedHopUs: [700],
      reportedWorkUs: 190,
      groupSize: 100,
      groups: 5,
    };
    const advice = buildAdvice('cpu', table, { cores: 2, generatorSharesCores: true, cut: [], rules: {}, hop });
    expect(advice.recommended).toBeNull();
    // The offload cost is measured apart from the runs, so it is said even when they cannot decide.
    expect(advice.paragraph).toMatch(
      /Offloading costs more than it saves here: the hop takes 700 µs of CPU per call beside 190 µs of work\./,
    );
    expect(advice.othersCores).toBe(1.4);
    expect(advice.paragraph).toMatch(/^No recommendation for cpu: worker ×2 served 1\.82× async by median/);
    expect(advice.paragraph).toMatch(/Other processes kept 1\.4 of the 2 cores busy during the runs \(median\)/);
    expect(advice.table.map((r) => r.why)[0]).toMatch(/^served 1\.8× async by median, not beyond noise/);
  });
});

describe('the command line', () => {
  it('refuses, in one sentence naming the flag, what advise cannot run', () => {
    expect(() => parseAdviseArgs([])).toThrow('name the workload to advise on');
    expect(() => parseAdviseArgs(['--workloads', 'cpu,fetch'])).toThrow(
      '--workloads: advise takes one workload, got cpu, fetch',
    );
    expect(() => parseAdviseArgs(['--workloads', 'cpu', '--duration', '2'])).toThrow(
      '--duration: "2" is not a whole number from 3 to 600',
    );
    expect(() => parseAdviseArgs(['--workloads', 'cpu', '--repeats', '4'])).toThrow(
      '--repeats: "4" is not a whole number from 5 to 20',
    );
    expect(() => parseAdviseArgs(['--workloads', 'cpu', '--connections', '8,16'])).toThrow('--connections: one value');
  });

  it('takes the defaults from its flag spec, and a sweep of requests in flight for --target', () => {
    const options = parseAdviseArgs(['--workloads', 'cpu']);
    expect(options).toMatchObject({ budgetSeconds: 300, repeats: 5, memoryBudgetMb: undefined });
    expect(options !== 'help' && options.harness).toMatchObject({
      connections: [4 * availableParallelism()],
      duration: 3,
      warmup: 1,
      workloads: ['cpu'],
    });
    const target = parseAdviseArgs(['--target', 'http://127.0.0.1:8080/x']);
    expect(target !== 'help' && target.harness.connections).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('takes --blame-url with --target, and refuses it for a workload, whose own server has blame already', () => {
    const blamed = parseAdviseArgs(['--target', 'http://127.0.0.1:8080/x', '--blame-url', 'http://127.0.0.1:9300']);
    expect(blamed !== 'help' && blamed.harness).toMatchObject({ blame: true, blameUrl: 'http://127.0.0.1:9300' });
    expect(() => parseAdviseArgs(['--workloads', 'cpu', '--blame-url', 'http://127.0.0.1:9300'])).toThrow(
      '--blame-url goes with --target URL',
    );
    expect(() => parseAdviseArgs(['--target', 'http://127.0.0.1:8080/x', '--blame-url', 'nope'])).toThrow(
      '--blame-url',
    );
  });
});
