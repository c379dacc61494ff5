import { describe, expect, it } from 'vitest';
import { groupScenarios, verdict } from '../../loadtest/analyse/analysis.ts';
import { fixedResults, fixedRun, fixedScenario } from '../loadtest/fixture-results.ts';

/** The verdict of one hash group: async and worker at these rps (one run each, unless runs are given). */
function sentence(asyncRps: number | number[], workerRps: number | number[]): string {
  const scenario = (mode: 'async' | 'worker', rps: number | number[]) =>
    Array.isArray(rps)
      ? fixedScenario('hash', mode, 0, 5, { runs: rps.map((v) => fixedRun(v, 5)) })
      : fixedScenario('hash', mode, rps, 5);
  const [group] = groupScenarios(fixedResults([scenario('async', asyncRps), scenario('worker', workerRps)]));
  if (!group) throw new Error('no group');
  return verdict(group);
}

describe('the verdict on worker against async', () => {
  it('says offloading costs more than it gains below 0.9×, about the same from 0.9× to 1.1×, and the gain above', () => {
    // By hand: 50 ÷ 100 = 0.5, 90 ÷ 100 = 0.9, 110 ÷ 100 = 1.1, 150 ÷ 100 = 1.5.
    expect(sentence(100, 50)).toContain('worker serves only 0.5× async: offloading costs more than it gains');
    expect(sentence(100, 90)).toContain('worker serves about what async serves (0.9×)');
    expect(sentence(100, 110)).toContain('worker serves about what async serves (1.1×)');
    expect(sentence(100, 150)).toContain('worker serves 1.5× async');
    expect(sentence(100, 150)).not.toContain('about what');
  });

  it('calls runs that overlap inconclusive, whatever the ratio of the medians', () => {
    // Medians 100 and 150, but the worker's runs reach down among async's: Mann–Whitney cannot separate them.
    const text = sentence([90, 100, 160], [95, 150, 155]);
    expect(text).toContain('worker against async: 1.5× (inconclusive: Mann–Whitney p = ');
    expect(text).not.toContain('worker serves 1.5× async');
  });

  it('calls four runs a side that do not overlap a difference beyond noise', () => {
    // By hand: medians 151.5 ÷ 101.5 = 1.49; separated 4 and 4 runs: p = 2 ÷ C(8, 4) = 2/70 = 0.029.
    expect(sentence([100, 101, 102, 103], [150, 151, 152, 153])).toContain(
      'worker serves 1.5× async (beyond run-to-run noise: Mann–Whitney p = 0.029, 4 runs each)',
    );
  });

  it('asks for 4 runs each when either side had fewer, and not when both had 4', () => {
    const needs = '4 runs each are needed';
    expect(sentence([90, 100, 110, 120], [95, 105, 115])).toContain(needs);
    expect(sentence([90, 100, 110], [95, 105, 115, 125])).toContain(needs);
    const interleaved = sentence([90, 100, 110, 120], [95, 105, 115, 125]);
    expect(interleaved).not.toContain(needs);
    // Interleaved runs: no difference shown, so no "about what async serves" either.
    expect(interleaved).toContain('worker against async: 1.0× (inconclusive');
  });

  it('compares worker with async only when async answered something', () => {
    expect(sentence(0, 50)).not.toContain('async:');
    expect(sentence(0, 50)).not.toMatch(/worker (serves|against) .*async/);
  });
});
