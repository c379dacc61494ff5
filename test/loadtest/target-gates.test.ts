import { describe, expect, it } from 'vitest';
import { evaluateDenyStall } from '../../loadtest/analyse/deny-stall.ts';
import { evaluateThreshold, parseThreshold } from '../../loadtest/analyse/thresholds.ts';
import { OptionsError } from '../../loadtest/cli/options-error.ts';
import { parseOptions } from '../../loadtest/cli/options.ts';
import { sizeProbes } from '../../loadtest/cli/probe-sizing.ts';
import type { RunBlame } from '../../loadtest/measure/blame-window.ts';
import type { HarnessOptions } from '../../loadtest/types.ts';
import { createDelayHistory } from '../../stall-blame/delay-history.ts';
import { fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

/** Issue 26 item 4: what a `--target` gate needs, checked without a server. */
const TARGET = ['--target', 'http://127.0.0.1:8080/orders', '--duration', '3'];
const options = (argv: string[]) => parseOptions(argv, '/home/me') as HarnessOptions;
const health = parseThreshold('target.health_p99<100');

describe('the probe rate a health_p99 threshold needs', () => {
  it('is raised when the window would hold fewer than 100 probes, saying so', () => {
    const argv = [...TARGET, '--probe', '/health'];
    const { options: sized, note } = sizeProbes(options(argv), [health], argv);
    expect(sized.probeRate).toBe(38);
    expect(sized.probeRate * sized.duration).toBeGreaterThanOrEqual(100);
    expect(note).toBe(
      'probe rate 20/s → 38/s: "target.health_p99<100" needs a p99 of 100 probes per run, and 3 s × 20/s is 60',
    );
  });

  it('refuses a --probe-rate given too low, saying exactly what is missing', () => {
    const argv = [...TARGET, '--probe', '/health', '--probe-rate', '20'];
    expect(() => sizeProbes(options(argv), [health], argv)).toThrow(
      'threshold "target.health_p99<100": a p99 needs 100 probes per run, and 3 s × 20/s = 60 probes < 100: --probe-rate ≥ 34 (or --duration ≥ 5)',
    );
  });

  it('names the missing --probe, not a missing canary in general', () => {
    expect(() => sizeProbes(options(TARGET), [health], TARGET)).toThrow(OptionsError);
    expect(() => sizeProbes(options(TARGET), [health], TARGET)).toThrow('without --probe PATH (e.g. --probe /health)');
  });

  it('leaves the rate alone when no threshold needs the canary, or the window holds enough', () => {
    const p99 = parseThreshold('target.p99<100');
    expect(sizeProbes(options(TARGET), [p99], TARGET).options.probeRate).toBe(20);
    const long = ['--target', 'http://127.0.0.1:8080/orders', '--probe', '/health', '--duration', '8'];
    expect(sizeProbes(options(long), [health], long).note).toBeUndefined();
  });
});

function blame(ms: number, loopDelayP99Ms: number): RunBlame {
  return {
    url: 'http://127.0.0.1:9300',
    stallThresholdMs: 20,
    windowMs: 3000,
    stalls: 2,
    stallMs: ms + 30,
    longestStallMs: ms,
    cpuWaitMs: 30,
    sampledMs: ms,
    idleMs: 0,
    culprits: [{ frame: 'checkToken', file: 'src/auth.js', line: 3, context: 'pbkdf2Sync', ms, share: 1 }],
    complete: true,
    error: null,
    loopDelayP99Ms,
  };
}

/** A --target-like scenario: no /metrics (server null), blame from the preload. */
function targetResults(blames: Array<RunBlame | null>) {
  const runs = blames.map((b) => ({ ...fixedRun(50, 5, { blame: b }), server: null }));
  const scenario = fixedScenario('hash', 'async', 50, 5, { runs });
  return fixedResults([{ ...scenario, scenario: { ...scenario.scenario, workload: 'target', mode: '—' } }]);
}

describe('target.loop_delay_p99 and target.stalled_ms from the preload', () => {
  it('reads the loop delay p99 and the stalled time (waits for a CPU left out) from the runs’ blame', () => {
    const results = targetResults([blame(900, 400), blame(1100, 600), blame(1000, 500)]);
    expect(evaluateThreshold(parseThreshold('target.loop_delay_p99<100'), results)).toMatchObject({
      passed: false,
      detail: 'c=20: 500.00 < 100.00 FAILED',
    });
    expect(evaluateThreshold(parseThreshold('target.stalled_ms<100'), results)).toMatchObject({
      passed: false,
      detail: 'c=20: 1000.00 < 100.00 FAILED',
    });
  });

  it('fails, naming --blame-url, when no blame was read', () => {
    const outcome = evaluateThreshold(parseThreshold('target.stalled_ms<100'), targetResults([null, null]));
    expect(outcome.passed).toBe(false);
    expect(outcome.detail).toContain('--blame-url');
  });
});

describe('--deny-stall', () => {
  it('fails on a culprit whose file matches, naming it and its time', () => {
    const results = targetResults([blame(900, 4), blame(1100, 6)]);
    expect(evaluateDenyStall('src/auth.js', results)).toEqual({
      source: '--deny-stall src/auth.js',
      passed: false,
      detail: 'target at 20 connections: checkToken src/auth.js:3 stalled the loop 2000 ms in 2 of 2 run(s)',
    });
    expect(evaluateDenyStall('src/**', results).passed).toBe(false);
    expect(evaluateDenyStall('checkToken', results).passed).toBe(false);
  });

  it('passes when no culprit matches, and fails when there was no blame to read', () => {
    expect(evaluateDenyStall('src/db/**', targetResults([blame(900, 4)])).passed).toBe(true);
    expect(evaluateDenyStall('src/auth.js', targetResults([null])).detail).toContain('no stall blame was read');
  });

  it('is refused with --no-blame', () => {
    expect(() => parseOptions(['--deny-stall', 'src/auth.js', '--no-blame'])).toThrow(
      '--deny-stall reads stall blame, so it cannot be combined with --no-blame',
    );
  });
});

describe('the heartbeat delay history behind a window’s loop delay', () => {
  it('gives the nearest-rank p99 and max of the ticks in [from, to)', () => {
    const history = createDelayHistory(1000);
    for (let i = 0; i < 200; i += 1) history.add(1_000 + i * 10_000, i === 150 ? 250_000 : i >= 190 ? 40_000 : 1_000);
    // Ticks 0..199 at 1 ms; ten of them later: 190..199 at 40 ms, one at 250 ms.
    expect(history.window(0, 3_000_000)).toEqual({ p99Ms: 40, maxMs: 250, ticks: 200 });
    expect(history.window(0, 1_000_000)?.ticks).toBe(100);
    expect(history.window(5_000_000, 6_000_000)).toBeNull();
  });

  it('takes the 99th of 100 ticks, not the largest: one slow tick in 100 is not the p99', () => {
    const history = createDelayHistory(1000);
    for (let i = 0; i < 100; i += 1) history.add(i, i === 98 ? 40_000 : i === 99 ? 250_000 : 1_000);
    expect(history.window(0, 100)).toEqual({ p99Ms: 40, maxMs: 250, ticks: 100 });
  });

  it('keeps the latest ticks when the ring is full', () => {
    const history = createDelayHistory(10);
    for (let i = 0; i < 25; i += 1) history.add(i, 1000);
    expect(history.window(0, 100)?.ticks).toBe(10);
    expect(history.window(0, 15)).toBeNull();
  });
});
