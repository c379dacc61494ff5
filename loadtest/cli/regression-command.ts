/**
 * `--compare FILE --max-regression LIST`, after the run: compares, prints the verdict, writes the
 * Markdown summary (into the run's report folder, `--summary FILE`, and appended to
 * `$GITHUB_STEP_SUMMARY` when set) and returns the exit code the verdict asks for.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userPath } from '../../lib/user-path.ts';
import { compareContext } from '../analyse/compare-context.ts';
import { compareWarnings } from '../analyse/compare-warnings.ts';
import { compareForRegression } from '../analyse/regression.ts';
import type { RegressionMargins } from '../analyse/regression-margins.ts';
import { regressionLines, renderRegressionMarkdown } from '../report/regression-md.ts';
import type { Results } from '../types.ts';
import { EXIT } from './exit-codes.ts';

export interface RegressionRun {
  readonly results: Results;
  readonly previous: Results;
  readonly previousSchema: string;
  readonly margins: RegressionMargins;
  readonly settings: NonNullable<Results['options']['regression']>;
  /** The run's report folder: regression.md goes beside report.md. */
  readonly dir: string;
  /** `$GITHUB_STEP_SUMMARY`, read by the CLI. */
  readonly stepSummary: string | undefined;
  readonly write: (line: string) => void;
}

export async function runRegressionGate(run: RegressionRun): Promise<number> {
  const report = compareForRegression(run.results, run.previous, run.margins);
  const context = {
    baseline: run.results.options.compare ?? 'the --compare file',
    inconclusive: run.settings.inconclusive,
    warnings: compareWarnings(run.results, run.previous, run.previousSchema),
    differences: compareContext(run.results, run.previous),
  };
  for (const line of regressionLines(report, context)) run.write(line);
  const markdown = renderRegressionMarkdown(report, context);
  await writeFile(join(run.dir, 'regression.md'), markdown);
  if (run.settings.summary) await writeFile(userPath(run.settings.summary), markdown);
  // GitHub's job summary is one file per step that every writer appends to.
  if (run.stepSummary) await appendFile(run.stepSummary, markdown);
  if (report.verdict === 'regressed') return EXIT.regressed;
  if (report.verdict === 'inconclusive' && run.settings.inconclusive === 'fail') return EXIT.inconclusive;
  return EXIT.ok;
}
