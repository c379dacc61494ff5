/**
 * Many figures compared at once: the Holm–Bonferroni correction, and what it asks of the repeat count.
 * With m tests each at p < 0.05, two runs of the same commit would fail somewhere about m × 5% of the
 * time; Holm keeps the chance of any false "regressed" at 5% over the whole family.
 */

/**
 * Holm's adjusted p-values, in the order given: sort ascending, multiply the k-th smallest (1-based)
 * by m − k + 1, carry the running maximum so the order is kept, cap at 1. A test is rejected at level
 * α when its adjusted p ≤ α — the same as Holm's step-down rule p(k) ≤ α / (m − k + 1).
 */
export function holmAdjust(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * The smallest two-sided p the exact Mann–Whitney test can give with `a` and `b` runs: every run of one
 * side beyond every run of the other, 2 of the C(a+b, a) ways to split them. 4 a side: 2/70 ≈ 0.029.
 */
export function smallestP(a: number, b: number): number {
  return Math.min(1, 2 / choose(a + b, a));
}

/**
 * The fewest runs a side (the same on both) with which a family of `m` tests can reject any at all:
 * Holm's first step needs p ≤ α / m, so the smallest possible p must reach it. One test: 4; six
 * (the figures of one scenario): 5; 7 to 23: 6.
 */
export function repeatsNeeded(m: number, alpha: number): number {
  let n = 2;
  while (smallestP(n, n) > alpha / Math.max(1, m)) n++;
  return n;
}
