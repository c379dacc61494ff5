import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { planScenarios } from '../../loadtest/matrix.ts';
import { ProgressDisplay } from '../../loadtest/cli/progress.ts';
import type { HarnessOptions } from '../../loadtest/types.ts';

const options: HarnessOptions = {
  ...structuredClone(DEFAULT_OPTIONS),
  workloads: ['fetch'],
  modes: ['blocking', 'async'],
  duration: 3,
  warmup: 1,
};
const scenarios = planScenarios(options);

/** A stream that keeps what was written, and says whether it is a terminal. */
function collector(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

describe('ProgressDisplay', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());

  /** Drives one run the way runMatrix and runScenario do, advancing the clock in steps of a second. */
  function playRun(display: ProgressDisplay, index: number, answers: number[], failures = 0) {
    display.runStarted({ index, total: scenarios.length, scenario: scenarios[index - 1]!, repeat: 1, secondsLeft: 0 });
    display.hooks.onPhase?.('settling');
    display.hooks.onPhase?.('measuring', 3);
    for (let f = 0; f < failures; f++) display.hooks.onOutcome?.(false);
    for (const n of answers) {
      for (let i = 0; i < n; i++) display.hooks.onOutcome?.(true);
      clock += 1000;
      vi.advanceTimersByTime(1000);
    }
  }

  it('redraws one line on a terminal with the phase, elapsed, requests and errors so far, and time left', () => {
    const out = collector(true);
    const display = new ProgressDisplay(out, options, scenarios, { now: () => clock });
    playRun(display, 1, [10, 10, 10], 2);
    display.stop();
    const frames = out.text().split('\r\x1b[2K').filter(Boolean);
    expect(frames).toContain(
      '[1/2] fetch/blocking at 20 connections — measuring 1/3 s, 12 requests, 2 errors — about 11 s left',
    );
    expect(frames).toContain(
      '[1/2] fetch/blocking at 20 connections — measuring 2/3 s, 22 requests, 2 errors — about 10 s left',
    );
    expect(frames.at(-1)).toBe(
      '[1/2] fetch/blocking at 20 connections — done in 3 s: 32 requests, 2 errors measured\n',
    );
  });

  it('keeps notes on their own lines, clearing the live line first', () => {
    const out = collector(true);
    const display = new ProgressDisplay(out, options, scenarios, { now: () => clock });
    display.runStarted({ index: 1, total: 2, scenario: scenarios[0]!, repeat: 1, secondsLeft: 0 });
    display.note('loadtest: a note');
    display.stop();
    expect(out.text()).toContain('\r\x1b[2Kloadtest: a note\n\r\x1b[2K[1/2]');
  });

  it('writes plain lines without control characters when not on a terminal, every few seconds', () => {
    const out = collector(false);
    const display = new ProgressDisplay(out, options, scenarios, { now: () => clock, plainIntervalMs: 2000 });
    playRun(display, 1, [5, 5, 5, 5]);
    playRun(display, 2, [50]);
    display.stop();
    const text = out.text();
    expect(text).not.toContain('\x1b');
    expect(text.split('\n').filter(Boolean)).toEqual([
      // Each run is estimated at 1 s warm-up + 3 s measured + 3 s for two settle waits, the probe's start-up and
      // scraping (2.5 s before the window, 0.5 s after), and 1 s at the end to stop the server.
      '[1/2] fetch/blocking at 20 connections — about 15 s left',
      // In the window: its 1 s left and 0.5 s after it, then the second run and the stop.
      '[1/2] fetch/blocking at 20 connections — measuring 2/3 s, 10 requests, 0 errors — about 10 s left',
      '[1/2] fetch/blocking at 20 connections — measuring 3/3 s, 20 requests, 0 errors — about 9 s left',
      // The first run measured from its start (no warm-up, no wait) and ran 1 s past its window: the
      // second is estimated at 1 + 3 s with those overheads, then the stop.
      '[2/2] fetch/async at 20 connections — about 6 s left',
    ]);
  });

  it('shows how long start-up has taken before the first run, so a slow start is never silent', () => {
    const out = collector(false);
    const display = new ProgressDisplay(out, options, scenarios, { now: () => clock, plainIntervalMs: 5000 });
    display.preparingTo('starting embedded PostgreSQL');
    clock += 5000;
    vi.advanceTimersByTime(5000);
    playRun(display, 1, [1]);
    clock += 5000;
    vi.advanceTimersByTime(5000);
    display.stop();
    expect(out.text().split('\n').slice(0, 3)).toEqual([
      'loadtest: starting embedded PostgreSQL…',
      'loadtest: starting embedded PostgreSQL — 5 s',
      // Start-up is over: not in the estimate (nor at the end, as the CPU baseline before a first run is).
      '[1/2] fetch/blocking at 20 connections — about 15 s left',
    ]);
  });
});
