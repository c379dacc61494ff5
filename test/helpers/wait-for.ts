import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns something other than undefined, and returns that. `hangGuardMs` is
 * only there so a broken guarantee fails instead of hanging: it is never what a test asserts.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  hangGuardMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const giveUpAt = performance.now() + hangGuardMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > giveUpAt) throw new Error(`gave up waiting for ${what} after ${hangGuardMs} ms`);
    await sleep(everyMs);
  }
}
