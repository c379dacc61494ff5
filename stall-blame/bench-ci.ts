/**
 * The bench's confidence intervals: a cost measured in interleaved rounds is one paired figure per round
 * (on/off in the same round), and what the issue asks of it is the upper end of its 95% interval, not a
 * median that a noisy round can hide behind.
 */

/** Student's t, 0.975 quantile, by degrees of freedom 1..30 (beyond, the normal's 1.96 is within 2%). */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The mean of `values` and the two ends of its two-sided 95% t-interval; the ends are NaN with fewer than 2 values. */
export function meanInterval(values: readonly number[]): { mean: number; low: number; high: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: Number.NaN, high: Number.NaN };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const half = (T_975[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}
