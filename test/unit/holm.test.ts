import { describe, expect, it } from 'vitest';
import { holmAdjust, repeatsNeeded, smallestP } from '../../loadtest/analyse/holm.ts';
import { mannWhitneyP } from '../../loadtest/analyse/stats.ts';

/** The statistics of `--max-regression`, checked against values worked out by hand. */
describe('holmAdjust', () => {
  it('adjusts four known p-values as the step-down rule does by hand', () => {
    // Sorted: 0.005 ×4 = 0.02, 0.01 ×3 = 0.03, 0.03 ×2 = 0.06, 0.04 ×1 = 0.04 → kept at 0.06 (monotone).
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted.map((p) => Number(p.toFixed(6)))).toEqual([0.03, 0.06, 0.06, 0.02]);
    // At α = 0.05 the first two steps reject (0.005 ≤ 0.0125, 0.01 ≤ 0.0167) and the third stops (0.03 > 0.025).
    expect(adjusted.map((p) => p <= 0.05)).toEqual([true, false, false, true]);
  });

  it('never lets an adjusted p pass 1, and leaves a single test as it is', () => {
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('is stricter than testing each at 0.05: six tests at p = 0.02 all stand', () => {
    expect(holmAdjust(new Array(6).fill(0.02)).every((p) => p > 0.05)).toBe(true);
  });
});

describe('smallestP and repeatsNeeded', () => {
  it('gives 2/70 for 4 runs a side, the p of two completely separated samples', () => {
    expect(smallestP(4, 4)).toBeCloseTo(2 / 70, 12);
    expect(mannWhitneyP([1, 2, 3, 4], [5, 6, 7, 8])).toBeCloseTo(smallestP(4, 4), 12);
    expect(smallestP(6, 6)).toBeCloseTo(2 / 924, 12);
    expect(smallestP(1, 1)).toBe(1);
  });

  it('needs 4 runs a side for one test, 5 for six, 6 for seven to 23, 7 beyond', () => {
    expect(repeatsNeeded(1, 0.05)).toBe(4);
    expect(repeatsNeeded(6, 0.05)).toBe(5);
    expect(repeatsNeeded(7, 0.05)).toBe(6);
    expect(repeatsNeeded(23, 0.05)).toBe(6);
    expect(repeatsNeeded(24, 0.05)).toBe(7);
  });
});
