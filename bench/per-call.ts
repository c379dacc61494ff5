import { median } from '../loadtest/analyse/stats.ts';

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** Mean wall time per call of `call`, in µs, over `n` calls made one after another. */
async function meanMicros(n: number, call: () => unknown): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await call();
  return ((performance.now() - started) * 1000) / n;
}

/**
 * µs per call of each variant, one call at a time: `rounds` rounds of `n / rounds` calls each, the
 * variants taking turns in an order that rotates every round, after one unmeasured round; the median
 * of a variant's rounds is its figure. As in the load rounds, a slow spell of the shared machine then
 * falls on every variant alike instead of on whichever happened to run during it.
 */
export async function interleavedMicros<K extends string>(
  variants: Record<K, () => unknown>,
  n: number,
  rounds = 5,
): Promise<Record<K, number>> {
  const names = Object.keys(variants) as K[];
  const perRound = Math.max(1, Math.floor(n / rounds));
  for (const name of names) await meanMicros(Math.ceil(perRound / 2), variants[name]);
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length] as K;
      samples[name].push(await meanMicros(perRound, variants[name]));
    }
  }
  return Object.fromEntries(names.map((name) => [name, round1(median(samples[name]))])) as Record<K, number>;
}

/** Mean wall time per call in µs when `n` calls are in flight `inFlight` at a time (throughput, not latency). */
export async function microsPerCallPipelined(
  n: number,
  inFlight: number,
  call: () => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next++ < n) await call();
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return round1(((performance.now() - started) * 1000) / n);
}
