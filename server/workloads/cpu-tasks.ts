import type { Steps } from './steps.ts';

/** Iterations between two yields; small enough that one slice takes well under a millisecond. */
const SLICE = 250_000;

/** Largest n for which every i*i (i < n) is an exact double, so the fast path stays exact. */
export const SUM_SQUARES_MAX_N = 90_000_000;
/** Flush the double accumulator into a BigInt before adding the next square could round it. */
const FLUSH_AT = Number.MAX_SAFE_INTEGER - SUM_SQUARES_MAX_N * SUM_SQUARES_MAX_N;

/**
 * Sum of i*i for 0 <= i < n, exact, as a decimal string (the seeds' `sum(i * i for i in range(n))`).
 * Adds in a double and flushes into a BigInt before precision could be lost: pure BigInt arithmetic
 * would be ~20x slower and measure BigInt allocation instead of a tight loop.
 */
export function* sumSquares(n: number): Steps<string> {
  let total = 0n;
  let acc = 0;
  for (let start = 0; start < n; start += SLICE) {
    const end = Math.min(n, start + SLICE);
    for (let i = start; i < end; i++) {
      acc += i * i;
      if (acc >= FLUSH_AT) {
        total += BigInt(acc);
        acc = 0;
      }
    }
    yield;
  }
  return (total + BigInt(acc)).toString();
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
