/**
 * `--max-regression`'s verdict in words: a Markdown summary fit for a CI job summary
 * (`$GITHUB_STEP_SUMMARY`) and the few lines the terminal gets. The comparison itself is
 * analyse/regression.ts; this file only prints it.
 */
import type { RegressionFinding, RegressionReport } from '../analyse/regression.ts';
import { fmtRate } from './format.ts';

/** What the comparison was made with, besides its report. */
export interface RegressionContext {
  /** The `--compare` file, as given. */
  readonly baseline: string;
  readonly inconclusive: 'pass' | 'fail';
  /** Baseline from another machine, Node or schema (analyse/compare-warnings.ts). */
  readonly warnings: readonly string[];
  /** Every other setting that differs (analyse/compare-context.ts). */
  readonly differences: readonly string[];
}

const HEADLINE: Record<RegressionReport['verdict'], string> = {
  regressed: 'REGRESSED',
  inconclusive: 'inconclusive',
  ok: 'no regression',
};

const value = (f: RegressionFinding, v: number) => `${fmtRate(v)} ${f.unit}`;

function change(f: RegressionFinding): string {
  if (f.blame) return `${f.worsening >= 0 ? '+' : ''}${fmtRate(f.worsening)} ms${f.blame === 'new' ? ' (new)' : ''}`;
  if (!Number.isFinite(f.worsening)) return 'from 0';
  const pct = Math.round(f.worsening * 100);
  return pct === 0 ? 'same' : `${Math.abs(pct)}% ${pct > 0 ? 'worse' : 'better'}`;
}

const margin = (f: RegressionFinding) => (f.blame ? `${fmtRate(f.margin)} ms` : `${Math.round(f.margin * 1000) / 10}%`);
const pText = (p: number) => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

/** The statistics in one sentence: how many tests, what the runs can reach, and how many runs it takes. */
export function statisticsSentence(r: RegressionReport): string {
  const first = r.alpha / Math.max(1, r.family);
  const base =
    `${r.family} figure(s) and culprit(s) compared, Holm-corrected at α = ${r.alpha}: the first must reach p ≤ ` +
    `${pText(first)}; the smallest p these runs can give is ${pText(r.smallestP)}, and --repeat ${r.repeatsNeeded} ` +
    `on both sides is the fewest that can reach it.`;
  return r.family > 0 && r.smallestP > first
    ? `${base} With these runs no figure can be shown to have regressed: every change beyond its margin is inconclusive.`
    : base;
}

/** What the verdict means for the exit code, in one sentence. */
export function verdictSentence(r: RegressionReport, context: RegressionContext): string {
  const count = (v: RegressionFinding['verdict']) => r.findings.filter((f) => f.verdict === v).length;
  if (r.verdict === 'regressed')
    return `${count('regressed')} figure(s) got worse beyond noise and by more than the margin.`;
  if (r.verdict === 'inconclusive')
    return r.findings.length === 0
      ? `nothing to compare: no scenario of this run, or no figure, is in ` +
          `${context.baseline}${context.inconclusive === 'pass' ? ' (passed, as --inconclusive pass says)' : ''}.`
      : `${count('inconclusive')} figure(s) got worse by more than the margin, but the runs cannot tell it from noise ` +
          `(${context.inconclusive === 'pass' ? 'passed, as --inconclusive pass says' : 'failed, as --inconclusive fail says'}).`;
  return 'no figure got worse by more than its margin beyond run-to-run noise.';
}

function row(f: RegressionFinding): string[] {
  return [
    f.scenario,
    f.blame ? `stall time of \`${f.figure}\`` : f.label,
    value(f, f.before),
    value(f, f.now),
    change(f),
    margin(f),
    `${pText(f.adjustedP)} (${f.runs.before} vs ${f.runs.now} runs)`,
    f.verdict === 'regressed' ? '**regressed**' : f.verdict,
  ];
}

const cells = (items: readonly string[]) => `| ${items.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;

export function renderRegressionMarkdown(r: RegressionReport, context: RegressionContext): string {
  const lines = [
    `## looplab: ${HEADLINE[r.verdict]}`,
    '',
    `Compared with \`${context.baseline}\`: ${verdictSentence(r, context)}`,
  ];
  if (context.warnings.length > 0) lines.push('', ...context.warnings.map((w) => `> **Warning:** ${w}`));
  if (context.differences.length > 0)
    lines.push('', 'Made differently from the baseline:', '', ...context.differences.map((d) => `- ${d}`));
  if (r.findings.length > 0) {
    lines.push(
      '',
      cells(['scenario', 'figure', 'before', 'now', 'change', 'margin', 'p, Holm-corrected', 'verdict']),
      cells(['---', '---', '---:', '---:', '---:', '---:', '---:', '---']),
      ...r.findings.map((f) => cells(row(f))),
    );
  }
  lines.push('', statisticsSentence(r));
  if (r.newScenarios.length > 0) lines.push('', `Not in the baseline, so not compared: ${r.newScenarios.join('; ')}.`);
  if (r.goneScenarios.length > 0) lines.push('', `In the baseline only: ${r.goneScenarios.join('; ')}.`);
  return `${lines.join('\n')}\n`;
}

/** The terminal's lines: the verdict, each figure that is not ok, the warnings and the statistics. */
export function regressionLines(r: RegressionReport, context: RegressionContext): string[] {
  return [
    `regression ${HEADLINE[r.verdict]} against ${context.baseline}: ${verdictSentence(r, context)}`,
    ...r.findings
      .filter((f) => f.verdict !== 'ok')
      .map(
        (f) =>
          `  ${f.verdict}: ${f.scenario} ${f.blame ? `stall time of ${f.figure}` : f.label} ${value(f, f.before)} → ` +
          `${value(f, f.now)} (${change(f)}, margin ${margin(f)}, p ${pText(f.adjustedP)} after Holm)`,
      ),
    ...context.warnings.map((w) => `  warning: ${w}`),
    `  ${statisticsSentence(r)}`,
  ];
}
