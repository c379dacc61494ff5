import { buildAdvice } from '../../loadtest/advise/advice.ts';
import type { Evidence } from '../../loadtest/advise/evidence.ts';
import type { Results } from '../../loadtest/types.ts';
import { fixedResults, fixedScenario } from '../loadtest/fixture-results.ts';

/** A hand-made evidence row: throughput per run varies, the rest fixed unless given. */
function row(mode: string, workers: number | undefined, rps: number[], p99Ms: number): Evidence {
  return {
    candidate: workers === undefined ? { mode } : { mode, workers },
    rps,
    p99Ms,
    healthP99Ms: 4,
    loopBusy: 0.3,
    cpuMsPerRequest: 9,
    rssMb: 120 + 20 * (workers ?? 0),
    refusedShare: 0,
    othersCores: null,
  };
}

/**
 * An answer with every part the reports must show: a winner (worker ×2), a candidate beaten beyond
 * noise, a pool-size curve with a knee, the offload cost and a candidate cut for the budget.
 */
export function fixtureAdvice() {
  const table = [
    row('async', undefined, [100, 102, 98, 101, 99], 80),
    row('worker', 2, [190, 195, 185, 192, 188], 45),
    row('worker', 1, [96], 90),
    row('worker', 3, [191], 70),
  ];
  return buildAdvice('cpu', table, {
    cores: 2,
    generatorSharesCores: true,
    cut: [{ mode: 'worker', workers: 4 }],
    rules: {},
    hop: {
      inlineMode: 'async',
      inlineUs: 10_300,
      offloadedUs: 10_700,
      pairedHopUs: [380, 400, 420],
      reportedWorkUs: 10_000,
      groupSize: 20,
      groups: 5,
    },
  });
}

/** The load test's results the answer came from (their figures do not matter to the lead). */
export function fixtureAdviceResults(): Results {
  return fixedResults([fixedScenario('cpu', 'async', 100, 4), fixedScenario('cpu', 'worker', 190, 4, { workers: 2 })]);
}
