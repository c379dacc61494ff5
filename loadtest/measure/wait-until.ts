/** Resolves at a performance.now() time (at once when it has passed). */
export async function waitUntil(at: number): Promise<void> {
  const wait = at - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
