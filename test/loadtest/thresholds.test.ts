import { beforeEach, describe, expect, it } from 'vitest';
import { buildTable } from '../../loadtest/report/table.ts';
import {
  evaluateThreshold,
  parseThreshold,
  THRESHOLD_METRICS_TEXT,
  ThresholdError,
} from '../../loadtest/analyse/thresholds.ts';
import type { Results } from '../../loadtest/types.ts';
import { fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

describe('parseThreshold', () => {
  it('reads a scaled comparison between two scenarios', () => {
    expect(parseThreshold('hash.worker.rps >= 1.5*hash.blocking.rps')).toMatchObject({
      left: { workload: 'hash', mode: 'worker', metric: 'rps' },
      op: '>=',
      factor: 1.5,
      right: { workload: 'hash', mode: 'blocking', metric: 'rps' },
    });
  });

  it('reads a comparison with a number', () => {
    expect(parseThreshold('fetch.async.p99<300')).toMatchObject({ op: '<', factor: 300, right: null });
  });

  it.each([
    ['fetch.async.p99', /no comparison/],
    ['fetch.async<300', /not workload.mode.metric/],
    ['Redis.async.p99<3', /"Redis" is not a workload name/],
    ['fetch.no_mode.p99<3', /"no_mode" is not a mode name/],
    ['fetch.async.p42<3', /unknown metric "p42"/],
    ['fetch.async.p99<x*y', /right side/],
  ])('refuses %j', (source, message) => {
    expect(() => parseThreshold(source)).toThrow(ThresholdError);
    expect(() => parseThreshold(source)).toThrow(message);
  });
});

// The fixtures are built in beforeEach, not while vitest collects the tests (before Stryker switches a
// mutant on).
describe('evaluateThreshold', () => {
  let results: Results;
  beforeEach(() => {
    results = fixedResults();
  });

  it('passes when the relation holds and says by how much', () => {
    const outcome = evaluateThreshold(parseThreshold('fetch.async.rps>=10*fetch.blocking.rps'), results);
    expect(outcome.passed).toBe(true);
    expect(outcome.detail).toBe('c=20: 380.00 >= 160.00 ok');
  });

  it('fails when it does not', () => {
    const outcome = evaluateThreshold(parseThreshold('hash.worker.rps>=2*hash.blocking.rps'), results);
    expect(outcome.passed).toBe(false);
    expect(outcome.detail).toContain('FAILED');
  });

  it('fails a threshold about scenarios that were not run', () => {
    const outcome = evaluateThreshold(parseThreshold('db.async.p99<300'), results);
    expect(outcome).toEqual({ source: 'db.async.p99<300', passed: false, detail: 'no scenario measured both sides' });
  });
});

describe('threshold units', () => {
  let results: Results;
  beforeEach(() => {
    results = fixedResults();
  });
  const cell = (workload: string, mode: string, header: string) => {
    const table = buildTable(results);
    const column = table.headers.indexOf(header);
    const row = table.sections.find((s) => s.title.startsWith(workload))?.rows.find((r) => r[0]?.startsWith(mode));
    return row?.[column];
  };

  it('compares loop_busy in percent, as the table shows it: a 99% busy loop fails loop_busy<80', () => {
    expect(cell('fetch', 'blocking', 'loop busy')).toBe('99%');
    const outcome = evaluateThreshold(parseThreshold('fetch.blocking.loop_busy<80'), results);
    expect(outcome).toMatchObject({ passed: false, detail: 'c=20: 99.00 < 80.00 FAILED' });
    expect(evaluateThreshold(parseThreshold('fetch.async.loop_busy<80'), results)).toMatchObject({
      passed: true,
      detail: 'c=20: 20.00 < 80.00 ok',
    });
  });

  it('compares efficiency in percent of bound, as the "of bound" column shows it', () => {
    expect(cell('fetch', 'blocking', 'of bound')).toBe('80%');
    expect(evaluateThreshold(parseThreshold('fetch.blocking.efficiency>=90'), results)).toMatchObject({
      passed: false,
      detail: 'c=20: 80.00 >= 90.00 FAILED',
    });
    expect(evaluateThreshold(parseThreshold('fetch.blocking.efficiency>=75'), results).passed).toBe(true);
  });

  it('lists every metric it accepts, with its unit, for --help', () => {
    const names = [...THRESHOLD_METRICS_TEXT.matchAll(/(\w+) \(/g)].map((m) => m[1]);
    expect(names).toEqual([
      'rps',
      'p50',
      'p90',
      'p99',
      'p999',
      'max',
      'errors',
      'health_p99',
      'loop_delay_p99',
      'stalled_ms',
      'loop_busy',
      'efficiency',
      'queue_wait',
      'queue_run',
    ]);
    for (const name of names) expect(() => parseThreshold(`fetch.async.${name}<1`)).not.toThrow();
    expect(THRESHOLD_METRICS_TEXT).toContain('loop_busy (% of the run, 0..100)');
  });

  it('fails a gate on a percentile its samples cannot support, even where another level passes', () => {
    // 80 answers support a p50 but not a p99 (which needs 100): the table prints "?", the gate fails.
    expect(
      results.scenarios.find((r) => r.scenario.mode === 'blocking' && r.scenario.workload === 'fetch')?.summary.p99,
    ).toBeNull();
    expect(evaluateThreshold(parseThreshold('fetch.blocking.p99<100000'), results)).toMatchObject({
      passed: false,
      detail: 'c=20: fetch.blocking.p99 not measured (it needs enough samples: p99 needs 100, p99.9 needs 1000) FAILED',
    });
    const twoLevels = fixedResults([
      fixedScenario('fetch', 'blocking', 16, 450, { connections: 10 }),
      fixedScenario('fetch', 'blocking', 40, 450, { connections: 20 }),
    ]);
    expect(evaluateThreshold(parseThreshold('fetch.blocking.p99<100000'), twoLevels)).toMatchObject({
      passed: false,
      detail:
        'c=10: fetch.blocking.p99 not measured (it needs enough samples: p99 needs 100, p99.9 needs 1000) FAILED; c=20: 37.50 < 100000.00 ok',
    });
  });

  it('counts as errors every request that did not end in 2xx: errors, timeouts, non-2xx, dropped and abandoned', () => {
    const run = { ...fixedRun(100, 5), errors: 1, timeouts: 2, non2xx: 3, dropped: 4, abandoned: 5 };
    const failing = fixedResults([fixedScenario('fetch', 'async', 100, 5, { runs: [run] })]);
    expect(evaluateThreshold(parseThreshold('fetch.async.errors==15'), failing)).toMatchObject({
      passed: true,
      detail: 'c=20: 15.00 == 15.00 ok',
    });
    expect(THRESHOLD_METRICS_TEXT).toContain('errors (count: errors + timeouts + non-2xx + dropped + abandoned)');
  });
});

describe('thresholds on a --target run', () => {
  it('reads target.metric as the target scenario and refuses two-part references to anything else', () => {
    expect(parseThreshold('target.p99<300').left).toEqual({ workload: 'target', mode: '—', metric: 'p99' });
    expect(() => parseThreshold('hash.p99<300')).toThrow(
      `"hash.p99" is not workload.mode.metric (or, with --target, '/path'.metric or target.metric)`,
    );
  });
});

describe("thresholds on the paths of a server command ('/login'.p99<300)", () => {
  /** Results of a run with one scenario per path, as `--target /a,/b -- node server.js` makes them. */
  const byPath = (...paths: string[]) =>
    fixedResults(
      paths.map((path, i) => {
        const r = fixedScenario('hash', 'blocking', 100 * (i + 1), 5 * (i + 1));
        r.scenario = { ...r.scenario, workload: path, mode: '—', path };
        return r;
      }),
    );

  it('reads a path in single quotes, even one with = or < in its query', () => {
    expect(parseThreshold("'/login'.p99 < 300").left).toEqual({ workload: '/login', mode: '—', metric: 'p99' });
    expect(parseThreshold("'/work?size=3&a<b'.rps>=1.5*'/x'.rps")).toMatchObject({
      left: { workload: '/work?size=3&a<b', metric: 'rps' },
      op: '>=',
      factor: 1.5,
      right: { workload: '/x', mode: '—', metric: 'rps' },
    });
    expect(() => parseThreshold("'/login'.speed<3")).toThrow('unknown metric "speed"');
  });

  it('checks each path against its own scenario', () => {
    const results = byPath('/login', '/orders');
    expect(evaluateThreshold(parseThreshold("'/orders'.rps>=150"), results).passed).toBe(true);
    expect(evaluateThreshold(parseThreshold("'/login'.rps>=150"), results).passed).toBe(false);
    expect(evaluateThreshold(parseThreshold("'/orders'.rps>=1.5*'/login'.rps"), results).passed).toBe(true);
  });

  it('reads target.metric as the one path of a run with one, and as nothing with two', () => {
    expect(evaluateThreshold(parseThreshold('target.rps>=50'), byPath('/login')).passed).toBe(true);
    expect(evaluateThreshold(parseThreshold('target.rps>=50'), byPath('/login', '/orders'))).toMatchObject({
      passed: false,
      detail: 'no scenario measured both sides',
    });
  });
});
