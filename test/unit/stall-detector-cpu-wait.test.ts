import { expect, it } from 'vitest';
import { type StallSpan, startStallDetector } from '../../stall-blame/stall-detector.ts';

/** A run-queue delay reader the test controls: `waitedUs` is what the thread has waited so far; reads are counted. */
function fakeCpuWait() {
  const state = { waitedUs: 0, reads: 0 };
  const read = () => {
    state.reads += 1;
    return state.waitedUs;
  };
  return { state, reader: { read, close() {} } };
}

/** Holds the loop for 300 ms in the first tick (threshold 100 ms), claiming `waitedUs` of it as a wait for a CPU. */
function stallOnce(waitedUs: number): Promise<StallSpan[]> {
  const { state, reader } = fakeCpuWait();
  return new Promise((resolve) => {
    let ticks = 0;
    const detector = startStallDetector(
      100,
      5,
      () => {
        ticks += 1;
        if (ticks === 1) {
          const until = performance.now() + 300;
          while (performance.now() < until);
          state.waitedUs += waitedUs;
        } else {
          detector.close();
          resolve(detector.take());
        }
      },
      reader,
    );
  });
}

it('reads the run-queue delay at the tick that sees a stall, and takes a stall that was a wait for a CPU for one', async () => {
  const [waited] = await stallOnce(10_000_000);
  expect(waited).toMatchObject({ waitedForCpu: true });
  const [ran] = await stallOnce(0);
  expect(ran).toMatchObject({ waitedForCpu: false });
});

it("skips the read at an idle loop's on-time ticks", async () => {
  const { state, reader } = fakeCpuWait();
  const ticks = await new Promise<number>((resolve) => {
    let count = 0;
    const detector = startStallDetector(
      100,
      5,
      () => {
        count += 1;
        if (count === 40) {
          detector.close();
          resolve(count);
        }
      },
      reader,
    );
    // The heartbeat is unref'd; this keeps the test's loop alive, idle, until the 40th tick.
    const keep = setInterval(() => count >= 40 && clearInterval(keep), 50);
  });
  // Every tick read it before (41 reads: one at the start); a tick late by more than 1 ms still does, so a
  // loaded machine reads more often, but never at every tick of an idle loop.
  console.log(`${state.reads} run-queue reads in ${ticks} ticks`);
  expect(state.reads).toBeLessThan(ticks);
});
