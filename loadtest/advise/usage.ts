import { renderFlagsHelp } from '../../lib/flags.ts';
import { EXIT_CODES_TEXT } from '../cli/exit-codes.ts';
import { ADVISE_SPEC } from './flags.ts';

/** `looplab advise --help`: the flags from their spec (flags.ts); the rules are in docs/guide/advise.md. */
export const ADVISE_USAGE = `Usage: npm run advise -- --workloads NAME [options]        (looplab advise [options])
       npm run advise -- --target URL [options]

Which mode, and how many threads, for one workload, measured: every candidate (each mode it has, worker
pools of 1 to 2 × cores, and for wait-type work one thread per core with 4 or 16 tasks per thread) is
screened once, the best three are repeated in interleaved runs, and the decision rules
(docs/guide/advise.md) pick the simplest candidate no other beats beyond noise. With --target, any
server: the concurrency knee and the in-flight limit it implies (with --blame-url, also the functions to
move off its event loop). Progress goes to stderr; the answer, or with --json the results with their
"advice", to stdout; the reports to --out.

Options:
${renderFlagsHelp(ADVISE_SPEC)}

${EXIT_CODES_TEXT}`;
