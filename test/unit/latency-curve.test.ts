import { describe, expect, it } from 'vitest';
import { createLatencyRecorder } from '../../loadtest/measure/latency-histogram.ts';

/** A recorder holding 1, 2, …, n µs: below 2048 µs HdrHistogram's buckets are 1 µs wide, so every value is exact. */
function recorderOf(n: number) {
  const recorder = createLatencyRecorder();
  for (let us = 1; us <= n; us++) recorder.record(us / 1000);
  return recorder;
}

describe('the HDR percentile curve of a run', () => {
  it('has four points per nine, up to the last percentile the samples support, then the maximum at 100', () => {
    // By hand, p_k = 100 × (1 − 10^(−k/4)), to 4 decimals: 0, 43.7659, 68.3772, 82.2172, 90, 94.3766,
    // 96.8377, 98.2217, 99. p_9 = 99.4377 needs round(10^(9/4)) = 178 samples, more than 100: the curve
    // stops at p_8 = 99 (which 100 samples support) and ends with [100, max = 0.1 ms].
    const curve = recorderOf(100).curve();
    expect(curve.map(([p]) => p)).toEqual([0, 43.7659, 68.3772, 82.2172, 90, 94.3766, 96.8377, 98.2217, 99, 100]);
    expect(curve.at(-1)).toEqual([100, 0.1]);
  });

  it('goes one nine further with ten times the samples', () => {
    // 1000 samples support up to p_12 = 99.9 (round(10^3) = 1000); p_13 needs round(10^3.25) = 1778.
    const percentiles = recorderOf(1000)
      .curve()
      .map(([p]) => p);
    expect(percentiles).toHaveLength(13 + 1);
    expect(percentiles.slice(-3)).toEqual([99.8222, 99.9, 100]);
  });

  it('reads each point as the summary reads that percentile, in ms, rising from the minimum to the maximum', () => {
    const recorder = recorderOf(100);
    const curve = recorder.curve();
    const summary = recorder.summary();
    expect(recorder.count).toBe(100);
    // 1..100 µs: the smallest value is 1 µs = 0.001 ms, the largest 0.1 ms.
    expect(curve[0]).toEqual([0, 0.001]);
    expect(curve.find(([p]) => p === 90)?.[1]).toBe(summary.p90);
    expect(curve.find(([p]) => p === 99)?.[1]).toBe(summary.p99);
    for (let i = 1; i < curve.length; i++) expect(curve[i]?.[1]).toBeGreaterThanOrEqual(curve[i - 1]?.[1] ?? 0);
  });

  it('is empty for a run with no answers, not a point at 0 ms', () => {
    expect(createLatencyRecorder().curve()).toEqual([]);
  });
});
