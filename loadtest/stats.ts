import type { Spread } from './types.ts';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Whether two figures differ by more than run-to-run noise: with repeats, their ranges over the runs
 * must not overlap; with a single run each, the noise is unknown and the answer is `undefined`.
 */
export function differsBeyondNoise(a: Spread, b: Spread, runsEach: number): boolean | undefined {
  if (runsEach < 2) return undefined;
  return a.min > b.max || b.min > a.max;
}
