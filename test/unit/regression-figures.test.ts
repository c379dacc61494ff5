import { describe, expect, it } from 'vitest';
import { REGRESSION_FIGURES } from '../../loadtest/analyse/regression-figures.ts';
import { blankBlame } from '../../loadtest/measure/blame-window.ts';
import type { RunMeasurement } from '../../loadtest/types.ts';
import { fixedRun } from '../loadtest/fixture-results.ts';

/** One figure's reading of one run, by its `--max-regression` name. */
function read(name: string, run: RunMeasurement): number | null {
  const figure = REGRESSION_FIGURES.find((f) => f.name === name);
  if (!figure) throw new Error(`no figure ${name}`);
  return figure.read(run);
}

/** fixedRun(200, 5): 200 req/s, a server with loop utilization 0.2, 0.5 cores of CPU, 82 MiB at the end. */
const run = (): RunMeasurement => fixedRun(200, 5);

describe('the figures --max-regression compares, read from one run', () => {
  it('gives loop busy in percent, as its unit says, not as the 0–1 utilization /metrics gives', () => {
    // By hand: utilization 0.2 × 100 = 20 %.
    expect(read('loop_busy', run())).toBeCloseTo(20, 9);
  });

  it('gives CPU per request in ms: the server CPU (cores) over the window for each 2xx answer', () => {
    // By hand: 0.5 cores × 1000 ms/s ÷ 200 req/s = 2.5 ms of CPU per request.
    expect(read('cpu_per_request', run())).toBeCloseTo(2.5, 9);
  });

  it('gives no CPU per request for a run that answered nothing, rather than a division by zero', () => {
    expect(read('cpu_per_request', { ...run(), rps: 0 })).toBeNull();
  });

  it('gives none of the server figures for a run without /metrics, and takes the loop delay from the blame preload then', () => {
    const noMetrics: RunMeasurement = { ...run(), server: null, blame: null };
    for (const name of ['loop_delay_p99', 'loop_busy', 'cpu_per_request', 'rss'])
      expect(read(name, noMetrics)).toBeNull();
    // --target with --blame-url: no /metrics, but the preload's heartbeat measured a 7 ms p99.
    const preload = { ...blankBlame('http://127.0.0.1:1'), loopDelayP99Ms: 7 };
    expect(read('loop_delay_p99', { ...noMetrics, blame: preload })).toBe(7);
  });

  it('reads a figure the run could not give (no p99 under 100 answers, a non-finite value) as null, never as a number', () => {
    // 10 req/s over 5 s is 50 answers: too few for a p99, which fixedRun leaves null.
    expect(read('p99', fixedRun(10, 5))).toBeNull();
    expect(read('rps', { ...run(), rps: Number.NaN })).toBeNull();
    expect(read('rps', { ...run(), rps: Number.POSITIVE_INFINITY })).toBeNull();
    const latency = { ...run().latency, p99: undefined as unknown as null };
    expect(read('p99', { ...run(), latency })).toBeNull();
  });
});
