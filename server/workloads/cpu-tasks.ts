import type { Steps } from './steps.ts';

/** Iterations between two yields; small enough that one slice takes well under a millisecond. */
const SLICE = 250_000;

/** Largest n allowed: about a second of one core, and below 2^31 so `i >>> 14` is exact. */
export const SUM_SQUARES_MAX_N = 500_000_000;

/**
 * Sum of i*i for 0 <= i < n, exact, as a decimal string (the seeds' `sum(i * i for i in range(n))`).
 * The total passes 2^53 (the largest exact double) near n = 300,000, and BigInt arithmetic per
 * iteration would measure allocation rather than a tight loop. So each i is split as h * 2^14 + l,
 * i*i = h*h * 2^28 + 2*h*l * 2^14 + l*l, and the three small sums stay exact within a slice before
 * they are folded into a BigInt.
 */
export function* sumSquares(n: number): Steps<string> {
  let total = 0n;
  for (let start = 0; start < n; start += SLICE) {
    const end = Math.min(n, start + SLICE);
    let highs = 0;
    let crosses = 0;
    let lows = 0;
    for (let i = start; i < end; i++) {
      const h = i >>> 14;
      const l = i & 0x3fff;
      highs += h * h;
      crosses += h * l;
      lows += l * l;
    }
    total += (BigInt(highs) << 28n) + (BigInt(crosses) << 15n) + BigInt(lows);
    yield;
  }
  return total.toString();
}

/** Count of primes p <= n, by the sieve of Eratosthenes. */
export function* countPrimes(n: number): Steps<number> {
  if (n < 2) return 0;
  const composite = new Uint8Array(n + 1);
  let count = 0;
  let sinceYield = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i] === 0) {
      count++;
      for (let j = i * i; j <= n; j += i) composite[j] = 1;
      // Charge the crossing-out loop to the slice too, or small primes would make huge slices.
      sinceYield += i <= n / i ? n / i : 0;
    }
    if (++sinceYield >= SLICE) {
      sinceYield = 0;
      yield;
    }
  }
  return count;
}
