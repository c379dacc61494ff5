import type { Sample } from './run-form.ts';

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median, lowest and highest of a form's times, in ms: with the pool's start-up, or the batch alone. */
export function summarize(samples: readonly Sample[], part: 'total' | 'batch' | 'start' = 'total') {
  const values = samples.map((s) =>
    part === 'batch' ? s.batchMs : part === 'start' ? s.startMs : s.startMs + s.batchMs,
  );
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}
