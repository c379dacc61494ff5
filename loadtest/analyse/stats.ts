import type { Spread } from '../types.ts';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The spread of the values that exist; null when no run had one (an unsupported percentile). */
export function spreadOfPresent(values: ReadonlyArray<number | null | undefined>): Spread | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length > 0 ? spread(present) : null;
}

/**
 * Two-sided exact p-value of the Mann–Whitney U test (Wilcoxon rank-sum) for two small samples: the
 * share of all ways to split the pooled values into groups of these sizes whose rank sum is at least as
 * far from its mean as the one observed. Ties get mid-ranks, and the exact permutation distribution of
 * those ranks is counted, so ties are handled exactly too.
 */
export function mannWhitneyP(a: readonly number[], b: readonly number[]): number {
  const pooled = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const n = pooled.length;
  // Doubled mid-ranks are whole numbers: ranks i+1..j of a tie share (i+1+j)/2.
  const rank2: number[] = new Array<number>(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && pooled[j]?.v === pooled[i]?.v) j++;
    for (let k = i; k < j; k++) rank2[k] = i + 1 + j;
    i = j;
  }
  const k = a.length;
  const observed = pooled.reduce((sum, p, i) => sum + (p.g === 0 ? (rank2[i] as number) : 0), 0);
  const mean = k * (n + 1); // expected doubled rank sum of k items drawn from n
  // ways[c][s]: number of ways to choose c of the items seen so far with doubled rank sum s.
  const maxSum = rank2.reduce((x, y) => x + y, 0);
  let ways: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  (ways[0] as number[])[0] = 1;
  for (const r of rank2) {
    const next = ways.map((row) => [...row]);
    for (let c = 0; c < k; c++) {
      const row = ways[c] as number[];
      const target = next[c + 1] as number[];
      for (let s = 0; s + r <= maxSum; s++) if (row[s]) target[s + r] = (target[s + r] as number) + (row[s] as number);
    }
    ways = next;
  }
  const last = ways[k] as number[];
  const total = last.reduce((x, y) => x + y, 0);
  const distance = Math.abs(observed - mean);
  let extreme = 0;
  last.forEach((count, s) => {
    if (count && Math.abs(s - mean) >= distance - 1e-9) extreme += count;
  });
  return extreme / total;
}

/** Significance level for calling a difference real. */
export const ALPHA = 0.05;

/** What the runs say about two figures: only with enough repeats can a difference be told from noise. */
export type NoiseVerdict = { kind: 'one-run' } | { kind: 'differs'; p: number } | { kind: 'inconclusive'; p: number };

/**
 * Compares two sets of per-run values with the Mann–Whitney U test. With one run on either side the
 * noise is unknown. Note that 2 runs each can never reach p < 0.05 (the smallest p is 1/3), and 3 each
 * not either (0.1): at least 4 runs each are needed to call a difference.
 */
export function compareRuns(a: readonly number[], b: readonly number[]): NoiseVerdict {
  if (a.length < 2 || b.length < 2) return { kind: 'one-run' };
  const p = mannWhitneyP(a, b);
  return p < ALPHA ? { kind: 'differs', p } : { kind: 'inconclusive', p };
}
