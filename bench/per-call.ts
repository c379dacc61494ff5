/** Mean wall time per call of `call`, in µs, over `n` calls made one after another (after `n / 5` unmeasured). */
export async function microsPerCall(n: number, call: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.ceil(n / 5); i++) await call(i);
  const started = performance.now();
  for (let i = 0; i < n; i++) await call(i);
  return round1(((performance.now() - started) * 1000) / n);
}

/** Mean wall time per call in µs when `n` calls are in flight `inFlight` at a time (throughput, not latency). */
export async function microsPerCallPipelined(n: number, inFlight: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < n) await call(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return round1(((performance.now() - started) * 1000) / n);
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
