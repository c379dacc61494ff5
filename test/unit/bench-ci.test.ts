import { expect, it } from 'vitest';
import { meanInterval } from '../../stall-blame/bench-ci.ts';

/** The bench's cost table gives the upper end of a 95% t-interval; checked against a hand calculation. */
it('gives the 95% t-interval of five values: mean 3, half-width 2.776 × √(2.5 / 5)', () => {
  const { mean, low, high } = meanInterval([1, 2, 3, 4, 5]);
  expect(mean).toBe(3);
  expect(high).toBeCloseTo(3 + 2.776 * Math.sqrt(0.5), 10);
  expect(low).toBeCloseTo(3 - 2.776 * Math.sqrt(0.5), 10);
});

it('has no interval for one value, and none of zero width for values that differ', () => {
  expect(Number.isNaN(meanInterval([0.02]).high)).toBe(true);
  const { high } = meanInterval([0.01, 0.03]);
  // Two values: t = 12.706 on one degree of freedom, so a wide interval, as it should be.
  expect(high).toBeCloseTo(0.02 + 12.706 * Math.sqrt(0.0002 / 2), 10);
});
