import { parseArgs } from 'node:util';
import { type Flags, parseArgsConfig, renderFlagsHelp } from '../lib/flags.ts';
import { EXPERIMENTS } from './experiments.ts';
import type { SeedsOptions } from './results.ts';

/** A bad command line: the CLI prints the message and exits 2. */
export class SeedsOptionsError extends Error {
  override name = 'SeedsOptionsError';
}

const EXPERIMENT_IDS = EXPERIMENTS.map((e) => e.id);

/**
 * Every flag, once, in the shape of the `looplab` dispatcher's flag specs: the parser, the defaults and
 * --help all read this table. The default run (latencies ÷ 10, three repeats, the sweep) is planned to
 * end within 3 minutes on 2 cores.
 */
export const SEEDS_FLAGS = {
  full: { type: 'boolean', doc: "use the texts' own latencies (scale 1); several minutes" },
  scale: {
    type: 'string',
    value: 'N',
    default: 10,
    range: { min: 1, max: 1000 },
    doc: "divide the texts' latencies by this",
  },
  repeats: {
    type: 'string',
    value: 'N',
    default: 3,
    range: { min: 1, max: 50 },
    doc: 'runs of every form; medians and ranges over them',
  },
  only: { type: 'string', value: 'LIST', allowed: EXPERIMENT_IDS, doc: 'comma-separated experiment ids' },
  'no-sweep': { type: 'boolean', doc: 'skip the pool-size sweep' },
  out: { type: 'string', value: 'DIR', default: 'results', doc: 'folder for seeds-<timestamp>/' },
  help: { type: 'boolean', short: 'h', doc: 'print this and exit' },
} as const satisfies Flags<string>;

export const SEEDS_USAGE = `npm run seeds -- [options]        (looplab seeds [options])

Replays the five Python tutorials' batch experiments in Node, beside their published numbers.

${renderFlagsHelp(SEEDS_FLAGS)}

Exit codes: 0 done, 2 the command line was refused, 4 the run could not complete.`;

function wholeNumber(name: 'scale' | 'repeats', raw: string | undefined): number {
  const { min, max } = SEEDS_FLAGS[name].range;
  if (raw === undefined) return SEEDS_FLAGS[name].default;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new SeedsOptionsError(`--${name} must be a whole number ${min}..${max}, got "${raw}"`);
  return n;
}

/** Parses argv (after the script name) into options, or 'help'. */
export function parseSeedsOptions(argv: readonly string[]): (SeedsOptions & { out: string }) | 'help' {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: parseArgsConfig(SEEDS_FLAGS),
    }));
  } catch (err) {
    // node:util's messages name the option but not our ranges; say it in one line of our own.
    const message = err instanceof Error ? err.message : String(err);
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? 'an argument';
    throw new SeedsOptionsError(
      /argument missing/.test(message)
        ? `${option} needs a value (try --help)`
        : `${option} is not an option here (try --help)`,
    );
  }
  if (values['help']) return 'help';
  const scaleGiven = values['scale'] !== undefined;
  const options = {
    scale: wholeNumber('scale', values['scale'] as string | undefined),
    repeats: wholeNumber('repeats', values['repeats'] as string | undefined),
    only: [] as string[],
    sweep: !values['no-sweep'],
    out: (values['out'] as string | undefined) ?? SEEDS_FLAGS.out.default,
  };
  if (values['only'] !== undefined) {
    const ids = String(values['only']).split(',').filter(Boolean);
    if (ids.length === 0 || ids.some((id) => !EXPERIMENT_IDS.includes(id)))
      throw new SeedsOptionsError(
        `--only takes experiment ids from: ${EXPERIMENT_IDS.join(', ')}; got "${values['only']}"`,
      );
    options.only = ids;
  }
  if (values['full']) {
    if (scaleGiven && options.scale !== 1)
      throw new SeedsOptionsError('--full and --scale contradict each other: choose one');
    options.scale = 1;
  }
  return options;
}
