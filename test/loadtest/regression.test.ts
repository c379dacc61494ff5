import { describe, expect, it } from 'vitest';
import { compareWarnings } from '../../loadtest/analyse/compare-warnings.ts';
import { compareForRegression } from '../../loadtest/analyse/regression.ts';
import { MarginError, parseMargins } from '../../loadtest/analyse/regression-margins.ts';
import type { RunBlame } from '../../loadtest/measure/blame-window.ts';
import { regressionLines, renderRegressionMarkdown } from '../../loadtest/report/regression-md.ts';
import type { Results, RunMeasurement } from '../../loadtest/types.ts';
import { fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

/** Run-to-run noise of ±3%, in an order that differs per side so neither is sorted. */
const JITTER = [1.0, 0.97, 1.03, 0.99, 1.02, 0.98];
const JITTER_B = [0.99, 1.02, 0.98, 1.03, 0.97, 1.0];

function blameWith(ms: number): RunBlame {
  return {
    url: 'http://127.0.0.1:1',
    stallThresholdMs: 20,
    windowMs: 5000,
    stalls: ms > 0 ? 3 : 0,
    stallMs: ms,
    longestStallMs: ms / 3,
    cpuWaitMs: 0,
    sampledMs: ms,
    idleMs: 0,
    culprits: ms > 0 ? [{ frame: 'checkToken', file: 'src/auth.js', line: 12, context: null, ms, share: 1 }] : [],
    complete: true,
    error: null,
  };
}

/** Two scenarios of `runs` runs; `slow` scales hash/async's throughput (0.7 = 30% slower). */
function results(options: { runs?: number; slow?: number; jitter?: number[]; blameMs?: number } = {}): Results {
  const jitter = options.jitter ?? JITTER;
  const n = options.runs ?? 6;
  const runs = (rps: number, health: number, scale = 1) =>
    jitter.slice(0, n).map((j) => fixedRun(rps * scale * j, health, { blame: blameWith((options.blameMs ?? 0) * j) }));
  return fixedResults([
    fixedScenario('hash', 'async', 70, 20, { runs: runs(70, 20, options.slow ?? 1) }),
    fixedScenario('fetch', 'async', 380, 3, { runs: runs(380, 3) }),
  ]);
}

const ALL_10 = parseMargins('10%');

describe('compareForRegression', () => {
  it('finds a 30% slowdown of one workload, in its throughput, p99 and CPU per request, and nowhere else', () => {
    const report = compareForRegression(results({ slow: 0.7, jitter: JITTER_B }), results(), ALL_10);
    expect(report.verdict).toBe('regressed');
    const regressed = report.findings.filter((f) => f.verdict === 'regressed');
    expect(regressed.map((f) => `${f.scenario} ${f.figure}`).sort()).toEqual([
      'hash/async at 20 connections cpu_per_request',
      'hash/async at 20 connections p99',
      'hash/async at 20 connections rps',
    ]);
    const rps = regressed.find((f) => f.figure === 'rps');
    expect(rps?.worsening).toBeCloseTo(0.3, 1);
    // Completely separated runs, 6 a side: p = 2/924, times at most the 12 tests of the family.
    expect(rps?.p).toBeCloseTo(2 / 924, 10);
    expect(report.family).toBe(12);
    expect(report.repeatsNeeded).toBe(6);
  });

  it('passes two runs of the same figures with different noise', () => {
    const report = compareForRegression(results({ jitter: JITTER_B }), results(), ALL_10);
    expect(report.verdict).toBe('ok');
    expect(report.findings.every((f) => f.verdict === 'ok')).toBe(true);
  });

  it('passes a real but small change: 5% slower in every run is beyond noise, not beyond a 10% margin', () => {
    const report = compareForRegression(results({ slow: 0.95, jitter: JITTER.map(() => 1) }), results(), ALL_10);
    const rps = report.findings.find((f) => f.scenario.startsWith('hash') && f.figure === 'rps');
    expect(rps?.p).toBeLessThan(0.01);
    expect(rps?.verdict).toBe('ok');
  });

  it('says inconclusive, not passed, when 3 runs a side cannot reach the corrected level', () => {
    const report = compareForRegression(results({ slow: 0.7, runs: 3 }), results({ runs: 3 }), ALL_10);
    expect(report.verdict).toBe('inconclusive');
    expect(report.findings.find((f) => f.figure === 'rps' && f.scenario.startsWith('hash'))?.verdict).toBe(
      'inconclusive',
    );
    expect(report.smallestP).toBeCloseTo(0.1, 10);
  });

  it('corrects for the family: 4 runs a side reach p = 0.029 alone, but not 0.05 / 12, so a 30% drop is inconclusive', () => {
    const report = compareForRegression(results({ slow: 0.7, runs: 4 }), results({ runs: 4 }), ALL_10);
    const rps = report.findings.find((f) => f.figure === 'rps' && f.scenario.startsWith('hash'));
    expect(rps?.p).toBeCloseTo(2 / 70, 10);
    expect(rps?.adjustedP).toBeGreaterThan(0.05);
    expect(rps?.verdict).toBe('inconclusive');
  });

  it('gates only the figures named: rps=50% lets the 30% drop pass, and leaves p99 out of the family', () => {
    const report = compareForRegression(results({ slow: 0.7 }), results(), parseMargins('rps=50%'));
    expect(report.verdict).toBe('ok');
    expect(new Set(report.findings.map((f) => f.figure))).toEqual(new Set(['rps']));
    expect(report.family).toBe(2);
  });

  it('names a culprit that is new, with its stall time per run, as a regression', () => {
    const report = compareForRegression(results({ blameMs: 300, jitter: JITTER_B }), results(), ALL_10);
    const culprit = report.findings.find((f) => f.blame);
    expect(culprit).toMatchObject({ figure: 'checkToken src/auth.js:12', blame: 'new', verdict: 'regressed' });
    // The median of 300 ms × the noise of the new runs.
    expect(culprit?.worsening).toBeCloseTo(298.5, 6);
  });

  it('lets a culprit grow by less than the blame margin', () => {
    const report = compareForRegression(
      results({ blameMs: 130, jitter: JITTER_B }),
      results({ blameMs: 100 }),
      parseMargins('10%,blame=50ms'),
    );
    expect(report.findings.find((f) => f.blame)).toMatchObject({ blame: 'grown', verdict: 'ok' });
    expect(report.verdict).toBe('ok');
  });

  it('says inconclusive when no scenario of this run is in the baseline', () => {
    const other = fixedResults([fixedScenario('db', 'async', 100, 3)]);
    const report = compareForRegression(results(), other, ALL_10);
    expect(report.verdict).toBe('inconclusive');
    expect(report.newScenarios).toHaveLength(2);
    expect(report.goneScenarios).toEqual(['db/async at 20 connections']);
  });
});

describe('parseMargins', () => {
  it('reads one share for every figure and blame at its default, or the figures named', () => {
    expect(ALL_10.figures.get('rps')).toBe(0.1);
    expect(ALL_10.figures.size).toBe(6);
    expect(ALL_10.blameMs).toBe(50);
    const some = parseMargins('rps=5%,p99=15%');
    expect([...some.figures]).toEqual([
      ['rps', 0.05],
      ['p99', 0.15],
    ]);
    expect(some.blameMs).toBeNull();
    expect(parseMargins('10%,rps=5%,blame=30ms')).toMatchObject({ blameMs: 30 });
  });

  it.each([
    ['10', '--max-regression: share "10" is not a percentage above 0 and up to 1000% (e.g. 10%)'],
    ['rps=5', '--max-regression: rps "5" is not a percentage'],
    ['speed=5%', '--max-regression: unknown figure "speed" (rps, p99, loop_delay_p99'],
    ['blame=5%', '--max-regression: blame "5%" is not a stall time above 0 ms (e.g. blame=50ms)'],
    ['1001%', '--max-regression: share "1001%" is not a percentage above 0 and up to 1000% (e.g. 10%)'],
    [
      'blame=600001ms',
      '--max-regression: blame "600001ms" is not a stall time above 0 ms (e.g. blame=50ms), up to 600000 ms',
    ],
    ['rps=5%,rps=6%', '--max-regression: rps is given more than once'],
  ])('refuses %s in one sentence', (raw, message) => {
    expect(() => parseMargins(raw)).toThrow(MarginError);
    expect(() => parseMargins(raw)).toThrow(message);
  });
});

describe('the warnings and the summary', () => {
  it('warns when the baseline came from another machine, another Node and another schema', () => {
    const before = results();
    const other = {
      ...before,
      environment: { ...before.environment, cpuModel: 'Other CPU', node: 'v22.18.0' },
    };
    const warnings = compareWarnings(results(), other, 'looplab-loadtest/2');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('another machine (Other CPU, 2 cores; this run: Fixture CPU, 2 cores)');
    expect(warnings[1]).toContain('Node v22.18.0 (this run: v20.20.2)');
    expect(warnings[2]).toContain('looplab-loadtest/2 file');
    expect(compareWarnings(results(), results(), 'looplab-loadtest/3')).toEqual([]);
  });

  it('writes a Markdown table with the verdict, each figure and the repeat count the correction needs', () => {
    const report = compareForRegression(results({ slow: 0.7, jitter: JITTER_B }), results(), ALL_10);
    const context = { baseline: 'old/results.json', inconclusive: 'pass' as const, warnings: ['w1'], differences: [] };
    const md = renderRegressionMarkdown(report, context);
    expect(md).toMatch(/^## looplab: REGRESSED$/m);
    expect(md).toContain('> **Warning:** w1');
    expect(md).toMatch(
      /^\| hash\/async at 20 connections \| req\/s \| .* \| 30% worse \| 10% \| .* \| \*\*regressed\*\* \|$/m,
    );
    expect(md).toContain('12 figure(s) and culprit(s) compared');
    expect(md).toContain('--repeat 6 on both sides is the fewest that can reach it');
    const lines = regressionLines(report, context);
    expect(lines[0]).toBe(
      'regression REGRESSED against old/results.json: 3 figure(s) got worse beyond noise and by more than the margin.',
    );
  });

  it('says in the summary when the runs are too few to show any regression', () => {
    const report = compareForRegression(results({ slow: 0.7, runs: 2 }), results({ runs: 2 }), ALL_10);
    const md = renderRegressionMarkdown(report, {
      baseline: 'b.json',
      inconclusive: 'fail',
      warnings: [],
      differences: [],
    });
    expect(md).toContain('With these runs no figure can be shown to have regressed');
    expect(md).toContain('failed, as --inconclusive fail says');
  });
});

describe('compareForRegression at its boundaries', () => {
  /** hash/async of six identical runs at `rps`, each changed by `change` (no noise: the medians are exact). */
  const steady = (rps: number, change: (run: RunMeasurement) => RunMeasurement = (r) => r): Results =>
    fixedResults([
      fixedScenario('hash', 'async', rps, 5, { runs: Array.from({ length: 6 }, () => change(fixedRun(rps, 5))) }),
    ]);
  const finding = (report: ReturnType<typeof compareForRegression>, figure: string) =>
    report.findings.find((f) => f.figure === figure);

  it('passes a figure worse by exactly its margin, and fails one worse by more', () => {
    // By hand: 100 → 90 req/s is (100 − 90) ÷ 100 = 0.1, exactly the 10% margin: not beyond it.
    expect(finding(compareForRegression(steady(90), steady(100), parseMargins('rps=10%')), 'rps')).toMatchObject({
      worsening: 0.1,
      verdict: 'ok',
    });
    // 100 → 89 is 0.11: beyond, and six separated runs a side make it a regression.
    expect(finding(compareForRegression(steady(89), steady(100), parseMargins('rps=10%')), 'rps')?.verdict).toBe(
      'regressed',
    );
  });

  it('counts a change of exactly the figure’s resolution, and none smaller', () => {
    const p99 = (ms: number) => (r: RunMeasurement) => ({ ...r, latency: { ...r.latency, p99: ms } });
    // p99's resolution is 1 ms: 10 → 11 ms is a 1 ms change, so 10% worse.
    const by1 = finding(
      compareForRegression(steady(100, p99(11)), steady(100, p99(10)), parseMargins('p99=5%')),
      'p99',
    );
    expect(by1?.worsening).toBeCloseTo(0.1, 10);
    expect(by1?.verdict).toBe('regressed');
    // 0.5 → 0.9 ms is 80% worse, but by less than the 1 ms the figure can tell apart: no worsening.
    const below = finding(
      compareForRegression(steady(100, p99(0.9)), steady(100, p99(0.5)), parseMargins('p99=5%')),
      'p99',
    );
    expect(below).toMatchObject({ worsening: 0, verdict: 'ok' });
  });

  it('tests two runs a side, and gives p = 1 to one run a side', () => {
    const runs = (n: number, rps: number) =>
      fixedResults([
        fixedScenario('hash', 'async', rps, 5, { runs: Array.from({ length: n }, () => fixedRun(rps, 5)) }),
      ]);
    // Two separated runs a side: 2 of the C(4, 2) = 6 splits are as extreme, p = 1/3.
    expect(finding(compareForRegression(runs(2, 50), runs(2, 100), parseMargins('rps=10%')), 'rps')?.p).toBeCloseTo(
      1 / 3,
      10,
    );
    expect(finding(compareForRegression(runs(1, 50), runs(1, 100), parseMargins('rps=10%')), 'rps')?.p).toBe(1);
  });

  it('knows a culprit that moved to another line of its file as the same culprit, grown, not new', () => {
    const at = (line: number, ms: number) => (r: RunMeasurement) => ({
      ...r,
      blame: {
        ...blameWith(ms),
        culprits: [{ frame: 'checkToken', file: 'src/auth.js', line, context: null, ms, share: 1 }],
      },
    });
    const report = compareForRegression(steady(100, at(40, 300)), steady(100, at(12, 100)), parseMargins('blame=50ms'));
    // By hand: the median stall time went from 100 to 300 ms, 200 ms more, beyond the 50 ms margin.
    expect(report.findings.find((f) => f.blame)).toMatchObject({
      figure: 'checkToken src/auth.js:40',
      blame: 'grown',
      worsening: 200,
      verdict: 'regressed',
    });
  });

  it('leaves out runs whose blame endpoint failed, and tests no culprit against a baseline without blame', () => {
    const failed = (r: RunMeasurement) => ({ ...r, blame: { ...blameWith(0), error: 'connect ECONNREFUSED' } });
    const now = steady(100, (r) => ({ ...r, blame: blameWith(300) }));
    const report = compareForRegression(now, steady(100, failed), parseMargins('blame=50ms'));
    // A baseline whose blame could not be read cannot show the culprit was absent: nothing is called new.
    expect(report.findings.filter((f) => f.blame)).toEqual([]);
    // Three of six new runs failed to read their blame: the culprit's time is the median of the other
    // three (300 ms), not of [300, 300, 300, 0, 0, 0] (150 ms).
    let i = 0;
    const half = steady(100, (r) => (i++ % 2 === 0 ? { ...r, blame: blameWith(300) } : failed(r)));
    const grown = compareForRegression(
      half,
      steady(100, (r) => ({ ...r, blame: blameWith(100) })),
      parseMargins('blame=50ms'),
    );
    expect(grown.findings.find((f) => f.blame)).toMatchObject({ now: 300, worsening: 200 });
  });
});
