import { EXPERIMENTS } from './experiments.ts';
import type { SeedsOptions } from './results.ts';

/** A bad command line: the CLI prints the message and exits 2. */
export class SeedsOptionsError extends Error {
  override name = 'SeedsOptionsError';
}

/** The default run: the texts' latencies ÷ 10, three repeats, the sweep; planned to end within 3 minutes on 2 cores. */
export const SEEDS_DEFAULTS: Readonly<SeedsOptions & { out: string }> = Object.freeze({
  scale: 10,
  repeats: 3,
  only: [],
  sweep: true,
  out: 'results',
});

/** Every flag, once: the parser and --help both read this table. */
export const SEEDS_FLAGS = {
  '--full': { value: false, doc: "use the texts' own latencies (scale 1); several minutes" },
  '--scale': { value: true, doc: `divide the texts' latencies by this, 1..1000 (default ${SEEDS_DEFAULTS.scale})` },
  '--repeats': {
    value: true,
    doc: `runs of every form, 1..50 (default ${SEEDS_DEFAULTS.repeats}); medians and ranges over them`,
  },
  '--only': { value: true, doc: `comma-separated experiment ids: ${EXPERIMENTS.map((e) => e.id).join(', ')}` },
  '--no-sweep': { value: false, doc: 'skip the pool-size sweep' },
  '--out': { value: true, doc: `folder for seeds-<timestamp>/ (default ${SEEDS_DEFAULTS.out})` },
  '--help': { value: false, doc: 'print this and exit' },
} as const;

export const SEEDS_USAGE = `Usage: npm run seeds -- [options]   (or: npx looplab seeds [options])

Replays the five Python tutorials' batch experiments in Node, beside their published numbers.

${Object.entries(SEEDS_FLAGS)
  .map(([flag, f]) => `  ${`${flag}${f.value ? ' <value>' : ''}`.padEnd(20)}${f.doc}`)
  .join('\n')}

Exit codes: 0 done, 2 the command line was refused, 4 the run could not complete.`;

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || n < min || n > max)
    throw new SeedsOptionsError(
      `${flag} must be a whole number ${min}..${max}, got ${raw === undefined ? 'nothing' : `"${raw}"`}`,
    );
  return n;
}

/** Parses argv (after the script name) into options, or 'help'. */
export function parseSeedsOptions(argv: readonly string[]): (SeedsOptions & { out: string }) | 'help' {
  const options = { ...SEEDS_DEFAULTS, only: [] as string[] };
  let full = false;
  let scaleGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = SEEDS_FLAGS[flag as keyof typeof SEEDS_FLAGS];
    if (!spec) throw new SeedsOptionsError(`unknown option "${flag}" (try --help)`);
    const value = spec.value ? (inline ?? argv[++i]) : undefined;
    if (flag === '--help') return 'help';
    if (flag === '--full') full = true;
    else if (flag === '--no-sweep') options.sweep = false;
    else if (flag === '--scale') {
      options.scale = wholeNumber(flag, value, 1, 1000);
      scaleGiven = true;
    } else if (flag === '--repeats') options.repeats = wholeNumber(flag, value, 1, 50);
    else if (flag === '--out') {
      if (!value) throw new SeedsOptionsError('--out needs a folder');
      options.out = value;
    } else if (flag === '--only') {
      const ids = (value ?? '').split(',').filter(Boolean);
      const unknown = ids.filter((id) => !EXPERIMENTS.some((e) => e.id === id));
      if (ids.length === 0 || unknown.length)
        throw new SeedsOptionsError(
          `--only takes experiment ids from: ${EXPERIMENTS.map((e) => e.id).join(', ')}; got "${value ?? ''}"`,
        );
      options.only = ids;
    }
  }
  if (full && scaleGiven && options.scale !== 1)
    throw new SeedsOptionsError('--full and --scale contradict each other: choose one');
  if (full) options.scale = 1;
  return options;
}
