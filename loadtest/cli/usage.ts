import { flagsWith, renderFlagsHelp, wrap } from '../../lib/flags.ts';
import { LOADTEST_MODES, LOADTEST_SPEC } from '../flags.ts';
import { EXIT_CODES_TEXT } from './exit-codes.ts';

/** What `looplab loadtest` does, before its flags: the help text's head and the reference page's. */
export const LOADTEST_ABOUT = `Runs every workload × mode × concurrency scenario against a looplab server and reports throughput,
latency, errors and event-loop health side by side. Without --url it starts the embedded database,
the upstream and the server as separate processes, and stops them at the end. Progress goes to
stderr (a live line on a terminal); the table, or with --json only the results, goes to stdout.`;

/** `--faults takes --rate, --duration, …`: each mode's allow-list, from the spec. */
const MODE_ALLOW_LISTS = LOADTEST_MODES.map((mode) =>
  wrap(
    `--${mode} takes only ${flagsWith(LOADTEST_SPEC, mode)
      .filter((n) => n !== 'help')
      .map((n) => `--${n}`)
      .join(', ')}`,
    4,
  ).join('\n    '),
).join('\n  ');

/** `npm run loadtest -- --help` (`looplab loadtest --help`): the flags from their spec (flags.ts). */
export const USAGE = `Usage: npm run loadtest -- [options]        (looplab loadtest [options])
       npm run -s loadtest -- --json [options] | jq …   (-s keeps npm's banner off stdout)
       npm run loadtest -- --target /login,/orders [options] -- node server.js   (your server, started and stopped)

${LOADTEST_ABOUT}

Options (lists are comma-separated; a list of levels is a sweep; each option at most once unless repeatable):
${renderFlagsHelp(LOADTEST_SPEC)}

The modes that replace the matrix take only the options that apply to them:
  ${MODE_ALLOW_LISTS}

${EXIT_CODES_TEXT}`;
