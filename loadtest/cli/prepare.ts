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
import { refuseMissingRedis } from './queue-backends.ts';

export interface PreparedRun {
  readonly options: HarnessOptions;
  readonly thresholds: Threshold[];
  /** The `--compare` results, read and checked. */
  readonly previous: Results | undefined;
}

export async function prepareRun(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd?: string,
): Promise<PreparedRun | 'help'> {
  const options = parseOptions(argv, cwd);
  if (options === 'help') return 'help';
  refuseMissingRedis(options, env);
  const thresholds = options.thresholds.map(parseThreshold);
  const previous = options.compare ? await readPrevious(options.compare) : undefined;
  await checkOutDir(options.out);
  return { options, thresholds, previous };
}
