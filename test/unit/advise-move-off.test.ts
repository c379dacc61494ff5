import { describe, expect, it } from 'vitest';
import { moveOffAdvice } from '../../loadtest/advise/move-off.ts';
import { blankBlame, type RunBlame } from '../../loadtest/measure/blame-window.ts';
import type { ScenarioResult } from '../../loadtest/types.ts';

const URL = 'http://127.0.0.1:9300';
const line = (frame: string, file: string | null, ms: number, context: string | null = null) => ({
  frame,
  file,
  line: file === null ? null : 7,
  context,
  ms,
  share: 0,
});

function blame(stallMs: number, culprits: RunBlame['culprits'], more: Partial<RunBlame> = {}): RunBlame {
  return { ...blankBlame(URL), stallThresholdMs: 20, windowMs: 2000, stalls: 5, stallMs, culprits, ...more };
}

/** A sweep of one run per level, each with the given blame: only `runs[].blame` is read. */
const sweep = (...blames: Array<RunBlame | null>) => ({
  scenarios: blames.map((b) => ({ runs: [{ blame: b }] }) as unknown as ScenarioResult),
});

describe('the functions to move off the loop (--target with --blame-url)', () => {
  it('merges each function over the sweep and weighs it against all the stalled time, CPU waits included', () => {
    const advice = moveOffAdvice(
      sweep(
        blame(500, [line('hashPassword', 'src/auth.js', 300, 'pbkdf2Sync'), line('render', 'src/view.js', 100)], {
          cpuWaitMs: 100,
        }),
        blame(500, [line('hashPassword', 'src/auth.js', 400, 'pbkdf2Sync'), line('(garbage collector)', null, 50)]),
      ),
    );
    expect(advice).toMatchObject({ blameUrl: URL, stallMs: 1000, stalls: 10, windowMs: 4000, cpuWaitMs: 100 });
    expect(advice?.functions).toEqual([
      { frame: 'hashPassword', file: 'src/auth.js', line: 7, calling: 'pbkdf2Sync', ms: 700, share: 0.7 },
      { frame: 'render', file: 'src/view.js', line: 7, calling: null, ms: 100, share: 0.1 },
    ]);
  });

  it("leaves out Node's own code and functions under 1% of the stalled time", () => {
    const advice = moveOffAdvice(
      sweep(
        blame(1000, [
          line('handle', 'server.mjs', 900),
          line('nextTick', 'node:internal/x', 50),
          line('tiny', 'a.js', 9),
        ]),
      ),
    );
    expect(advice?.functions.map((f) => f.frame)).toEqual(['handle']);
  });

  it('is null without blame, and keeps why a run could not be read', () => {
    expect(moveOffAdvice(sweep(null, null))).toBeNull();
    const advice = moveOffAdvice(sweep(blankBlame(URL, 'connect ECONNREFUSED'), blame(100, [line('f', 'f.js', 100)])));
    expect(advice?.errors).toEqual(['connect ECONNREFUSED']);
    expect(advice?.functions.map((f) => f.share)).toEqual([1]);
  });
});
