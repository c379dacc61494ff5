/**
 * Runs `fn` over every item with at most `limit` calls in flight: a counting semaphore around
 * Promise.all, as asyncio.Semaphore bounds gather. Results keep the items' order.
 */
export async function boundedAll<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number ≥ 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  // `limit` runners each take the next item until none is left; a free slot is taken at once.
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  });
  await Promise.all(runners);
  return results;
}
