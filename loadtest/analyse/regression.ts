/**
 * `--compare old/results.json --max-regression 10%`: did a figure get worse, beyond run-to-run noise and
 * by more than the margin? Each figure of each scenario is compared run by run with the exact
 * Mann–Whitney test (stats.ts); the p-values of all of them, and of the culprits stall blame names, are
 * corrected together with Holm (holm.ts), so two runs of the same commit fail with at most 5% chance
 * over the whole comparison. A figure worse by more than its margin that the test cannot confirm is
 * "inconclusive", never "passed" in silence.
 */
import { matchPrevious } from './compare.ts';
import { holmAdjust, repeatsNeeded, smallestP } from './holm.ts';
import { REGRESSION_FIGURES } from './regression-figures.ts';
import type { RegressionMargins } from './regression-margins.ts';
import { scenarioLabel } from './scenario-key.ts';
import { ALPHA, mannWhitneyP, median } from './stats.ts';
import type { Results, RunMeasurement, ScenarioResult } from '../types.ts';

export type RegressionVerdict = 'regressed' | 'inconclusive' | 'ok';

/** One figure (or one culprit) of one scenario, before and now. */
export interface RegressionFinding {
  readonly scenario: string;
  /** The figure's name (`rps`), or for blame the culprit as `function file:line`. */
  readonly figure: string;
  readonly label: string;
  readonly unit: string;
  /** Medians over the runs of each side. */
  readonly before: number;
  readonly now: number;
  /** How much worse: a share of `before` (0.3 = 30% worse), or for blame the ms gained; negative = better. */
  readonly worsening: number;
  /** The margin it is held to, in the same terms as `worsening`. */
  readonly margin: number;
  readonly runs: { readonly before: number; readonly now: number };
  /** Mann–Whitney p (1 with fewer than 2 runs a side), and after Holm's correction over the family. */
  readonly p: number;
  readonly adjustedP: number;
  readonly verdict: RegressionVerdict;
  /** Blame only: a culprit no baseline run named, or one that was there and grew. */
  readonly blame?: 'new' | 'grown';
}

export interface RegressionReport {
  readonly verdict: RegressionVerdict;
  /** Every figure and culprit tested, worst first within each verdict. */
  readonly findings: RegressionFinding[];
  /** How many tests the correction covers, and the p the first of them must reach. */
  readonly family: number;
  readonly alpha: number;
  /** The smallest p the test can give with these runs (the most runs any test had on each side). */
  readonly smallestP: number;
  /** Runs a side (`--repeat`, on both) with which this family can tell a regression at all. */
  readonly repeatsNeeded: number;
  /** Scenarios only one side has: not compared. */
  readonly newScenarios: string[];
  readonly goneScenarios: string[];
}

interface Test {
  scenario: string;
  figure: string;
  label: string;
  unit: string;
  before: number[];
  now: number[];
  /** `share` of the baseline, or `ms` gained; the margin in the same terms. */
  kind: 'share' | 'ms';
  margin: number;
  worse: 'lower' | 'higher';
  floor: number;
  blame?: 'new' | 'grown';
}

const present = (values: Array<number | null>): number[] => values.filter((v): v is number => v !== null);

function figureTests(label: string, now: ScenarioResult, before: ScenarioResult, margins: RegressionMargins): Test[] {
  const tests: Test[] = [];
  for (const f of REGRESSION_FIGURES) {
    const margin = margins.figures.get(f.name);
    if (margin === undefined) continue;
    const a = present(before.runs.map(f.read));
    const b = present(now.runs.map(f.read));
    // A figure one side never had (no /metrics with --target, a p99 of too few answers) is not compared.
    if (a.length === 0 || b.length === 0) continue;
    tests.push({
      scenario: label,
      figure: f.name,
      label: f.label,
      unit: f.unit,
      before: a,
      now: b,
      kind: 'share',
      margin,
      worse: f.worse,
      floor: f.floor,
    });
  }
  return tests;
}

/** A culprit's identity across commits: its function and file (its line moves when lines are added above it). */
const culpritKey = (c: { frame: string; file: string | null }) => `${c.frame} ${c.file ?? '(native)'}`;

/** Each culprit's ms in each run that has blame; a run where it is not among the named culprits had 0. */
function culpritTimes(runs: readonly RunMeasurement[]): { times: Map<string, number[]>; names: Map<string, string> } {
  const withBlame = runs.filter((r) => r.blame && r.blame.error === null);
  const times = new Map<string, number[]>();
  const names = new Map<string, string>();
  withBlame.forEach((run, i) => {
    for (const c of run.blame?.culprits ?? []) {
      const key = culpritKey(c);
      names.set(key, `${c.frame} ${c.file ?? '(native)'}${c.line !== null ? `:${c.line}` : ''}`);
      const row = times.get(key) ?? new Array<number>(withBlame.length).fill(0);
      row[i] = (row[i] ?? 0) + c.ms;
      times.set(key, row);
    }
  });
  return { times, names };
}

/**
 * Blame: a culprit whose median stall time in the new runs exceeds the margin is tested (a culprit
 * below it cannot have grown by more); one the baseline runs never named is "new".
 */
function blameTests(label: string, now: ScenarioResult, before: ScenarioResult, marginMs: number | null): Test[] {
  if (marginMs === null) return [];
  const after = culpritTimes(now.runs);
  const earlier = culpritTimes(before.runs);
  const baselineRuns = before.runs.filter((r) => r.blame && r.blame.error === null).length;
  if (baselineRuns === 0) return [];
  const tests: Test[] = [];
  for (const [key, times] of after.times) {
    if (median(times) <= marginMs) continue;
    const old = earlier.times.get(key);
    tests.push({
      scenario: label,
      figure: after.names.get(key) ?? key,
      label: 'stall time',
      unit: 'ms',
      before: old ?? new Array<number>(baselineRuns).fill(0),
      now: times,
      kind: 'ms',
      margin: marginMs,
      worse: 'higher',
      floor: 0,
      blame: old ? 'grown' : 'new',
    });
  }
  return tests;
}

/** How much worse `now` is than `before`, in the test's terms; 0 within the figure's resolution. */
function worsening(t: Test, before: number, now: number): number {
  const delta = t.worse === 'higher' ? now - before : before - now;
  if (Math.abs(delta) < t.floor) return 0;
  if (t.kind === 'ms') return delta;
  if (before === 0) return delta > 0 ? Number.POSITIVE_INFINITY : 0;
  return delta / Math.abs(before);
}

const ORDER: Record<RegressionVerdict, number> = { regressed: 0, inconclusive: 1, ok: 2 };

/** Compares `current` with `previous` scenario by scenario and figure by figure (see the file's comment). */
export function compareForRegression(
  current: Results,
  previous: Results,
  margins: RegressionMargins,
  alpha = ALPHA,
): RegressionReport {
  const matches = matchPrevious(current, previous);
  const tests: Test[] = [];
  for (const [now, before] of matches) {
    const label = scenarioLabel(now.scenario);
    tests.push(...figureTests(label, now, before, margins), ...blameTests(label, now, before, margins.blameMs));
  }
  const ps = tests.map((t) => (t.before.length >= 2 && t.now.length >= 2 ? mannWhitneyP(t.before, t.now) : 1));
  const adjusted = holmAdjust(ps);
  const findings = tests.map((t, i): RegressionFinding => {
    const before = median(t.before);
    const now = median(t.now);
    const worse = worsening(t, before, now);
    const adjustedP = adjusted[i] ?? 1;
    const beyond = worse > t.margin;
    return {
      scenario: t.scenario,
      figure: t.figure,
      label: t.label,
      unit: t.unit,
      before,
      now,
      worsening: worse,
      margin: t.margin,
      runs: { before: t.before.length, now: t.now.length },
      p: ps[i] ?? 1,
      adjustedP,
      verdict: !beyond ? 'ok' : adjustedP <= alpha ? 'regressed' : 'inconclusive',
      ...(t.blame ? { blame: t.blame } : {}),
    };
  });
  findings.sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict] || b.worsening / b.margin - a.worsening / a.margin);
  const most = (side: 'before' | 'now') => Math.max(0, ...tests.map((t) => t[side].length));
  const matched = new Set(matches.values());
  const verdict: RegressionVerdict =
    findings.length === 0
      ? 'inconclusive'
      : findings.some((f) => f.verdict === 'regressed')
        ? 'regressed'
        : findings.some((f) => f.verdict === 'inconclusive')
          ? 'inconclusive'
          : 'ok';
  return {
    verdict,
    findings,
    family: tests.length,
    alpha,
    smallestP: smallestP(most('before'), most('now')),
    repeatsNeeded: repeatsNeeded(tests.length, alpha),
    newScenarios: current.scenarios.filter((s) => !matches.has(s)).map((s) => scenarioLabel(s.scenario)),
    goneScenarios: previous.scenarios.filter((s) => !matched.has(s)).map((s) => scenarioLabel(s.scenario)),
  };
}
