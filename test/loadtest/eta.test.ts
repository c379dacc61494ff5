import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { formatSeconds, planSeconds, remainingSeconds, runSeconds } from '../../loadtest/cli/eta.ts';
import { planScenarios } from '../../loadtest/matrix.ts';
import type { HarnessOptions } from '../../loadtest/types.ts';

const options = (over: Partial<HarnessOptions>): HarnessOptions => ({ ...structuredClone(DEFAULT_OPTIONS), ...over });

describe('formatSeconds', () => {
  it.each([
    [1, '1 s'],
    [0.4, '0 s'],
    [59.4, '59 s'],
    [65, '1 min 05 s'],
    [184, '3 min 04 s'],
    [3600, '60 min'],
  ])('writes %d s as %j, never rounding a short run up to a minute', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});

describe('the plan estimate', () => {
  it('counts warm-up, measuring, settling and the probe start-up of every run', () => {
    const o = options({ workloads: ['fetch'], modes: ['async'], duration: 1, warmup: 0 });
    const run = runSeconds(o, { rate: undefined });
    // One settle wait (at least its 0.3 s of quiet) and the probe process's start-up (about a second).
    expect(run.expected).toBeGreaterThan(1 + 0.3 + 1);
    expect(run.expected).toBeLessThan(5);
    expect(runSeconds(options({ duration: 8, warmup: 2 }), { rate: undefined }).expected).toBeGreaterThan(10);
  });

  it('counts a second settle wait after a warm-up', () => {
    const without = runSeconds(options({ duration: 2, warmup: 0 }), { rate: undefined });
    const withWarmup = runSeconds(options({ duration: 2, warmup: 1 }), { rate: undefined });
    expect(withWarmup.expected - without.expected).toBeGreaterThan(1 + 0.3);
  });

  it('adds the open model drain only to the worst case, bounded by the phase lengths', () => {
    const o = options({ duration: 8, warmup: 2 });
    const closed = runSeconds(o, { rate: undefined });
    const open = runSeconds(o, { rate: 400 });
    expect(open.expected).toBe(closed.expected);
    expect(open.worst - open.expected).toBe(2 + 8);
    expect(
      runSeconds(options({ duration: 60, warmup: 30 }), { rate: 400 }).worst -
        runSeconds(options({ duration: 60, warmup: 30 }), { rate: 400 }).expected,
    ).toBe(20);
  });

  it('multiplies by scenarios and repeats, and adds the stop of a server it started, but not its start-up (over when the plan is announced)', () => {
    const local = options({
      workloads: ['fetch'],
      modes: ['blocking', 'async', 'worker'],
      rates: [50, 200, 400],
      repeat: 2,
    });
    const scenarios = planScenarios(local);
    expect(scenarios).toHaveLength(9);
    const plan = planSeconds(local, scenarios);
    const perRun = runSeconds(local, { rate: 50 });
    expect(plan.expected).toBeGreaterThan(9 * 2 * perRun.expected);
    expect(plan.worst).toBeGreaterThan(plan.expected + 9 * 2 * 9);
    const remote = planSeconds({ ...local, url: 'http://x:1' }, scenarios);
    expect(remote.expected).toBeCloseTo(9 * 2 * perRun.expected);
    // The stop, 1 s; before, the 10 s start-up, already over when the plan is printed.
    expect(plan.expected - remote.expected).toBe(1);
  });

  it('scales what is left by how long the runs so far took against their estimate', () => {
    expect(remainingSeconds(100, 0, 0)).toBe(100);
    expect(remainingSeconds(100, 20, 40)).toBe(200);
    expect(remainingSeconds(100, 20, 10)).toBe(50);
    expect(remainingSeconds(100, 20, 1000)).toBe(400);
  });
});
