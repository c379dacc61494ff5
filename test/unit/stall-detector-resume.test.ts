import { expect, it } from 'vitest';
import { type StallSpan, startStallDetector } from '../../stall-blame/stall-detector.ts';

/**
 * The profiler's own rotations must not show as stalls beside the figures they sit in: a tick that
 * holds the loop (as a rotation does) and then calls `resume()` leaves no stall; without it, the next
 * tick is late by that time and records one. The hold is 1 s against a 500 ms threshold, so a busy
 * machine's own scheduling delays cannot make either case.
 */
function holdInFirstTick(resume: boolean): Promise<StallSpan[]> {
  return new Promise((resolve) => {
    let ticks = 0;
    const detector = startStallDetector(500, 5, () => {
      ticks += 1;
      if (ticks === 1) {
        const until = performance.now() + 1000;
        while (performance.now() < until);
        if (resume) detector.resume();
      } else if (ticks === 2) {
        detector.close();
        resolve(detector.take());
      }
    });
  });
}

it('records the time a tick held the loop as a stall, unless the tick says it was its own', async () => {
  const without = await holdInFirstTick(false);
  expect(without).toHaveLength(1);
  expect((without[0]?.endUs ?? 0) - (without[0]?.startUs ?? 0)).toBeGreaterThan(900_000);
  expect(await holdInFirstTick(true)).toEqual([]);
});
