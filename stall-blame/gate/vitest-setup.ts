/**
 * `looplab/vitest/setup`: a vitest setup file (`test.setupFiles: ['looplab/vitest/setup']`). A test during
 * which the event loop stalled over STALL_THRESHOLD_MS (default GATE_STALL_THRESHOLD_MS) in the project's
 * code fails, and its failure message names the culprit: function, file:line, ms.
 */
import { afterEach, beforeEach } from 'vitest';
import { type StallBlame, startStallBlame } from '../blame.ts';
import { GATE_STALL_THRESHOLD_MS } from '../limits.ts';
import { addSourceMapFinder } from '../source-maps.ts';
import { thresholdFromEnv } from './env.ts';
import { stalledIn } from './vitest.ts';
import { vitestSourceMap } from './vitest-source-maps.ts';

const THREAD_BLAME = Symbol.for('looplab.vitest.blame');

/**
 * One profiler per thread, kept across test files: vitest evaluates a setup file again for each file it
 * runs in the same worker, and a second profiler would only double the cost.
 */
function threadBlame(): StallBlame {
  const holder = globalThis as { [THREAD_BLAME]?: StallBlame };
  if (!holder[THREAD_BLAME]) {
    addSourceMapFinder(vitestSourceMap);
    holder[THREAD_BLAME] = startStallBlame({
      stallThresholdMs: thresholdFromEnv(process.env) ?? GATE_STALL_THRESHOLD_MS,
    });
  }
  return holder[THREAD_BLAME];
}

const blame = threadBlame();
let from = 0;
beforeEach(function looplabMarkTestStart() {
  from = blame.mark();
});
afterEach(function looplabFailStalledTest() {
  const stalled = stalledIn(blame.window(from, blame.mark()));
  if (stalled) throw new Error(`looplab: ${stalled}`);
});
