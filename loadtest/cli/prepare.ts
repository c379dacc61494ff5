/**
 * Everything `npm run loadtest` checks before it starts a process or sends a request, as one function
 * the CLI calls and the tests call in-process: the command line, its thresholds, the queue backends it
 * can serve, the `--compare` file and that `--out` can hold the reports. A refusal is thrown as an
 * OptionsError or ThresholdError carrying the one sentence to print; the CLI exits 2 with it.
 */
import { type Threshold, parseThreshold } from '../analyse/thresholds.ts';
import type { HarnessOptions, Results } from '../types.ts';
import { checkOutDir, readPrevious } from './cli-io.ts';
import { parseOptions } from './options.ts';
import { sizeProbes } from './probe-sizing.ts';
import { userDirectory } from '../../lib/user-path.ts';
import { refuseMissingRedis } from './queue-backends.ts';
import { parseMargins, type RegressionMargins } from '../analyse/regression-margins.ts';

export interface PreparedRun {
  readonly options: HarnessOptions;
  readonly thresholds: Threshold[];
  /** The `--compare` results, read and checked, and the schema the file was written with. */
  readonly previous: Results | undefined;
  readonly previousSchema: string | undefined;
  /** `--max-regression`'s margins, parsed; undefined without it. */
  readonly margins: RegressionMargins | undefined;
  /** What was adjusted for the run to measure what its gates need, one line each (probe-sizing.ts). */
  readonly notes: string[];
}

export async function prepareRun(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd?: string,
): Promise<PreparedRun | 'help'> {
  // Paths on the command line are the user's: relative to where they typed it, not to the package.
  const base = cwd ?? userDirectory();
  const parsed = parseOptions(argv, base);
  if (parsed === 'help') return 'help';
  refuseMissingRedis(parsed, env);
  const thresholds = parsed.thresholds.map(parseThreshold);
  const { options, note } = sizeProbes(parsed, thresholds, argv);
  const previous = options.compare ? await readPrevious(options.compare, base) : undefined;
  await checkOutDir(options.out, base);
  const margins = options.regression ? parseMargins(options.regression.maxRegression) : undefined;
  return {
    options,
    thresholds,
    previous: previous?.results,
    previousSchema: previous?.schema,
    margins,
    notes: note ? [note] : [],
  };
}
