import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMetrics, readSample, scrapeMetrics, windowFigures } from '../../loadtest/measure/server-metrics.ts';
import { createPressureGauge } from '../../server/protection/pressure.ts';
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
function referenceSampler(): () => { p50: number; p99: number; max: number } {
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
    const at = (q: number) => weighted[Math.ceil(q * weighted.length) - 1] ?? 0;
    return { p50: at(0.5), p99: at(0.99), max: Math.max(0, ...late) };
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

  it('agrees with a hand-computed reference on an idle loop, with no 10 ms floor', async () => {
    await app.get('/ready');
    // monitorEventLoopDelay({ resolution: 10 }) counted its own 10 ms interval in every sample, so its
    // time-weighted median never fell below 10 ms. Without that floor the median of an idle loop is
    // about 0 — when the machine lets it be idle: on a busy one preemptions fill whole windows (the
    // two samplers' medians were 7.5 ms apart at load average 24, their p99 87 ms apart at 17). So the
    // window is taken again, up to 20 times, until the reference sees a quiet one (median under 2 ms),
    // and in that one the server must agree with it; a floor can never agree.
    const tries: string[] = [];
    for (let i = 0; i < 20; i++) {
      // The reference runs from before the first scrape to after the second, so it sees all of the window.
      const reference = referenceSampler();
      const before = await scrapeMetrics(app.url);
      await pause(1_000);
      const text = await (await fetch(`${app.url}/metrics`)).text();
      const expected = reference();
      const p50 = (readSample(text, 'looplab_event_loop_delay_seconds', 'stat="p50"') ?? Infinity) * 1000;
      const figures = windowFigures(before, parseMetrics(text));
      expect(figures?.eventLoopDelayP99Ms).toBeLessThanOrEqual(figures?.eventLoopDelayMaxMs ?? 0);
      tries.push(`server p50 ${p50.toFixed(2)} ms, reference ${expected.p50.toFixed(2)} ms`);
      if (expected.p50 < 2) {
        expect(Math.abs(p50 - expected.p50), tries.join('; ')).toBeLessThan(2);
        return;
      }
    }
    expect.fail(`no quiet window in 20: ${tries.join('; ')}`);
  }, 60_000);

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
      // The old gauge read ≥ 10 ms in every 500 ms window (its own interval), so it never stopped
      // shedding. A machine shared with other work may really delay this loop past 10 ms in a window
      // (every one of six was, at load average 17), and shedding then is right; so the gauge gets up
      // to 60 windows (30 s; it took 15 s at load average 24) to show one without pressure.
      let windows = 0;
      do {
        await pause(520);
        windows++;
      } while (gauge.underPressure && windows < 60);
      expect(gauge.underPressure, `under pressure in all ${windows} windows, the last ${gauge.lastDelayMs} ms`).toBe(
        false,
      );
    } finally {
      gauge.close();
    }
  }, 60_000);

  it('fires after a stall longer than the threshold, and reports its length', async () => {
    const gauge = createPressureGauge(100);
    try {
      await pause(520);
      stall(150);
      // The stall is read at the end of the window it fell in (two windows at most on a quiet machine;
      // 10 s is a hang guard). Waited for by its length, not by the first pressure: on a busy machine a
      // preemption of its own can pass the threshold first (101.7 ms seen at load average 19).
      for (let waited = 0; gauge.lastDelayMs < 148 && waited < 10_000; waited += 50) await pause(50);
      expect(gauge.lastDelayMs).toBeGreaterThanOrEqual(148);
      expect(gauge.underPressure).toBe(true);
    } finally {
      gauge.close();
    }
  });
});
