import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeMetrics, windowFigures } from '../../loadtest/measure/server-metrics.ts';
import { createPressureGauge } from '../../server/pressure.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

/** Keeps this thread busy for `ms`: a stall of known length, with no timer involved. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An independent reference, written out by hand: a 1 ms interval in this thread noting each tick's
 * lateness, and the time-weighted p99 of those — every late tick stands for itself and for the ticks
 * its stall swallowed (L, L − 1, L − 2 … ms), sorted, nearest rank.
 */
function referenceSampler(): () => { p99: number; max: number } {
  const late: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    late.push(Math.max(0, now - last - 1));
    last = now;
  }, 1);
  return () => {
    clearInterval(timer);
    const weighted: number[] = [];
    for (const l of late) for (let v = l; v >= 0; v -= 1) weighted.push(v);
    weighted.sort((a, b) => a - b);
    return { p99: weighted[Math.ceil(0.99 * weighted.length) - 1] ?? 0, max: Math.max(0, ...late) };
  };
}

/**
 * The server's event-loop delay, read the way the harness reads it (two scrapes of `/metrics` around a
 * window). The app runs in this process, so a stall made here is a stall of the server's loop.
 */
describe("the server's event-loop delay over a window", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('agrees with a hand-computed reference on a quiet loop, with no 10 ms floor', async () => {
    await app.get('/ready');
    // The reference runs from before the first scrape to after the second, so it sees all of the window.
    const reference = referenceSampler();
    const before = await scrapeMetrics(app.url);
    await pause(1_000);
    const figures = windowFigures(before, await scrapeMetrics(app.url));
    const expected = reference();
    // monitorEventLoopDelay({ resolution: 10 }) counted its own 10 ms interval in every sample, so
    // it read at least 10 ms more than this on a quiet loop. The two samplers see mostly the same
    // preemptions, but not all of them: with a CPU-bound process beside the suite they differed by up
    // to 7.5 ms, so the bound is 9 ms — below the 10 ms the old floor adds, which it still catches.
    expect(Math.abs((figures?.eventLoopDelayP99Ms ?? Infinity) - expected.p99)).toBeLessThan(9);
  });

  it('sees a 60 ms stall in a 1 s window: max ≈ 60 ms, and p99 time-weighted from it', async () => {
    const reference = referenceSampler();
    const before = await scrapeMetrics(app.url);
    await pause(500);
    stall(60);
    await pause(500);
    const figures = windowFigures(before, await scrapeMetrics(app.url));
    const expected = reference();
    // By hand: the tick due during the stall came ~60 ms late (less the 1 ms interval), so the max is at
    // least 59 ms. The stall is ~60 of ~1060 ms, about 5.7% of the time, so the delay a callback due at a
    // random moment met is above ~60 × (1 − 0.01 / 0.057) ≈ 49 ms 1% of the time: p99 lies well inside
    // the stall, not at the idle floor. A per-tick (not time-weighted) histogram has one late sample in
    // ~800 and reads p99 ≈ 1 ms. (A busy machine may add a longer preemption of its own: the reference,
    // whose window spans the server's, sees it too, so the server's max is never above the reference's.)
    expect(figures?.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(58);
    expect(figures?.eventLoopDelayMaxMs).toBeLessThanOrEqual(expected.max + 2);
    expect(figures?.eventLoopDelayP99Ms).toBeGreaterThan(30);
    expect(figures?.eventLoopDelayP99Ms).toBeLessThanOrEqual(figures?.eventLoopDelayMaxMs ?? 0);
  });
});

describe('shedding on event-loop delay (SHED_LOOP_DELAY_MS)', () => {
  it('does not fire on an idle loop at a 10 ms threshold', async () => {
    const gauge = createPressureGauge(10);
    try {
      // Six 500 ms windows in a row: the old gauge read ≥ 10 ms in every one (its own interval); a
      // machine shared with other work may preempt this process in some, but not in all.
      const idle: boolean[] = [];
      for (let i = 0; i < 6; i++) {
        await pause(520);
        idle.push(gauge.underPressure);
      }
      expect(idle).toContain(false);
    } finally {
      gauge.close();
    }
  });

  it('fires after a stall longer than the threshold, and reports its length', async () => {
    const gauge = createPressureGauge(100);
    try {
      await pause(520);
      stall(150);
      // The stall is read at the end of the window it fell in: within two windows at most.
      for (let waited = 0; !gauge.underPressure && waited < 1_100; waited += 50) await pause(50);
      expect(gauge.underPressure).toBe(true);
      expect(gauge.lastDelayMs).toBeGreaterThanOrEqual(148);
    } finally {
      gauge.close();
    }
  });
});
