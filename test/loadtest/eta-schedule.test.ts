import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { planScenarios } from '../../loadtest/matrix.ts';
import { ProgressDisplay } from '../../loadtest/cli/progress.ts';
import type { HarnessOptions, RunPhase } from '../../loadtest/types.ts';

/**
 * The live "about … left" replayed on a recorded run (test/fixtures/eta-schedule.json: when each run
 * and each phase began, on a machine so busy that every settle wait and probe start took several
 * times its a-priori figure). What the display says at each second is set against the time the
 * recording actually had left.
 */
const recording = JSON.parse(readFileSync(new URL('../fixtures/eta-schedule.json', import.meta.url), 'utf8')) as {
  options: Pick<HarnessOptions, 'workloads' | 'modes' | 'duration' | 'warmup'>;
  events: Array<[number, 'plan' | 'run' | 'done' | RunPhase]>;
};
const options: HarnessOptions = { ...structuredClone(DEFAULT_OPTIONS), ...recording.options };
const scenarios = planScenarios(options);
const end = recording.events.at(-1)?.[0] ?? 0;

/** Replays the recording through a display on a fake clock; returns [second, estimate, actual left] each second. */
function replay(): Array<{ at: number; estimate: number; actual: number; run: number }> {
  let clock = 0;
  const lines: Array<{ at: number; text: string }> = [];
  const display = new ProgressDisplay(
    { isTTY: false, write: (text: string) => lines.push({ at: clock / 1000, text }) },
    options,
    scenarios,
    { now: () => clock, plainIntervalMs: 1000 },
  );
  let run = 0;
  for (const [at, what] of recording.events) {
    // A second at a time, so each line written on the display's interval carries its own moment.
    while (clock < at * 1000) {
      const step = Math.min(1000, at * 1000 - clock);
      clock += step;
      vi.advanceTimersByTime(step);
    }
    if (what === 'run') {
      run++;
      display.runStarted({
        index: run,
        total: scenarios.length,
        scenario: scenarios[run - 1]!,
        repeat: 1,
        secondsLeft: 0,
      });
    } else if (what === 'settling' || what === 'warm-up' || what === 'measuring') {
      display.hooks.onPhase?.(
        what,
        what === 'warm-up' ? options.warmup : what === 'measuring' ? options.duration : undefined,
      );
    }
  }
  display.stop();
  let current = 0;
  return lines.flatMap(({ at, text }) => {
    const seen = /^\[(\d+)\/\d+\]/.exec(text);
    if (seen) current = Number(seen[1]);
    const left = /about (?:(\d+) min )?(\d+) s left/.exec(text);
    if (!left) return [];
    return [{ at, estimate: Number(left[1] ?? 0) * 60 + Number(left[2]), actual: end - at, run: current }];
  });
}

describe('the live estimate on a recorded run', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('follows the time actually left once a run has shown what runs cost here, and never says 0 s with seconds to go', () => {
    // From the second run on, while 10 s or more are left. The a-priori estimate (before any run has
    // finished) is not judged: on this machine every overhead was several times its figure.
    const points = replay().filter((p) => p.run >= 2 && p.actual >= 10);
    expect(points.length).toBeGreaterThan(60);
    const errors = points.map((p) => Math.abs(p.estimate - p.actual) / p.actual);
    // Before: the runs left were scaled by the pace so far, and the run under way counted down from its
    // a-priori length and then stood at zero: 26% off on average, and "0 s left" 13 s before the end.
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(0.2);
    expect(Math.max(...errors)).toBeLessThan(0.6);
  });
});
