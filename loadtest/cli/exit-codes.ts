/**
 * What `npm run loadtest` exits with, defined once. Each outcome has its own code so a CI job can tell a
 * failed gate from a run that measured nothing and from a harness that could not run at all. `EXIT`,
 * the `--help` list and docs/reference/exit-codes.md (scripts/reference/exit-codes.ts) come from here.
 */
import { wrap } from '../../lib/flags.ts';

export const EXIT_CODE_TABLE = {
  /** The run completed and every --threshold held (and --max-regression found no regression). */
  ok: { code: 0, help: 'the run completed and every --threshold (and --max-regression) held' },
  thresholdFailed: { code: 1, help: 'a --threshold did not hold' },
  /** An unreadable --compare is refused here too. */
  usage: {
    code: 2,
    help: 'the command line was refused (or the server at --url would refuse its --params); no load was sent',
  },
  measuredFailures: {
    code: 3,
    help: 'most scenarios were answered mostly with non-2xx (or not at all): the figures describe failures (the reports are still written)',
  },
  couldNotRun: {
    code: 4,
    help:
      'the harness could not run (server unreachable or not ready, a process failed to start, a crash; ' +
      'LOOPLAB_DEBUG=1 prints the stack of an unexpected failure)',
  },
  /** 5 is `looplab gate`'s (a stall outside the allowlist): one number, one meaning across looplab's commands. */
  regressed: {
    code: 6,
    help: '--max-regression: a figure got worse than in the --compare file beyond run-to-run noise and by more than its margin',
  },
  inconclusive: {
    code: 7,
    help: '--max-regression with --inconclusive fail: a figure got worse by more than its margin, but the runs cannot tell it from noise (more --repeat would)',
  },
  interrupted: { code: 130, help: 'interrupted (Ctrl-C)' },
} as const satisfies Record<string, { code: number; help: string }>;

type ExitName = keyof typeof EXIT_CODE_TABLE;

export const EXIT = Object.freeze(
  Object.fromEntries(Object.entries(EXIT_CODE_TABLE).map(([name, { code }]) => [name, code])) as {
    readonly [K in ExitName]: (typeof EXIT_CODE_TABLE)[K]['code'];
  },
);

/** When several hold: a run of failures first, then a threshold, then a regression, then inconclusive. */
export const EXIT_PRECEDENCE_TEXT =
  'When several hold, the first of 3, 1, 6, 7 is the exit code: a run that measured failures, then a threshold, ' +
  'then a regression, then an inconclusive comparison.';

/** The exit codes as `--help` lists them. */
export const EXIT_CODES_TEXT = [
  'Exit codes:',
  ...Object.values(EXIT_CODE_TABLE).map(({ code, help }) =>
    wrap(help, 7)
      .map((line, i) => (i === 0 ? `  ${String(code).padEnd(4)} ${line}` : `${' '.repeat(7)}${line}`))
      .join('\n'),
  ),
  ...wrap(EXIT_PRECEDENCE_TEXT, 0),
].join('\n');
