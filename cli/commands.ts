/**
 * Every `looplab <command>`, one entry each: adding a command (advise, gate, seeds…) is one entry here.
 * The command's module is imported only when it runs (its flags' spec, a small table, is read at once).
 */
import { BENCH_FLAGS } from '../bench/options.ts';
import { ADVISE_MODES, ADVISE_SPEC } from '../loadtest/advise/flags.ts';
import { GATE_FLAGS } from '../stall-blame/gate/flags.ts';
import { LOADTEST_MODES, LOADTEST_SPEC } from '../loadtest/flags.ts';
import { SEEDS_FLAGS } from '../seeds/options.ts';
import { renderFlagsHelp } from '../lib/flags.ts';
import { type Command, environmentHelp, HELP_ONLY } from './command.ts';
import { SERVE_FLAGS } from './serve-flags.ts';

const helpOnly = { flags: HELP_ONLY };

const serve: Command = {
  name: 'serve',
  summary: 'the server, with its embedded PostgreSQL, upstream and queue worker(s): what `npm start` runs',
  npmScript: 'npm start',
  flags: { flags: SERVE_FLAGS },
  help: async () => `Usage: looplab serve [--workload-file FILE]…        (npm start)

Starts the embedded PostgreSQL (unless DATABASE_URL is set), the bundled upstream (unless UPSTREAM_URL
is set), the queue worker process(es) and the server; Ctrl-C stops them all, in reverse order.
The database is kept in .looplab/ under the current directory: add .looplab/ to your .gitignore.

It is configured by environment variables (docs/reference/configuration.md), and takes:
${renderFlagsHelp(SERVE_FLAGS)}`,
  run: () => import('./serve.ts'),
};

const worker: Command = {
  name: 'worker',
  summary: "a queue worker process for queue mode, on any machine that reaches the queue's backend",
  npmScript: 'npm run worker',
  flags: helpOnly,
  help: async () =>
    environmentHelp(
      worker,
      'One queue worker process: runs QUEUE_CONCURRENCY jobs at once from the BullMQ queue. It starts no\ndatabase ' +
        'and no upstream, so it needs DATABASE_URL and UPSTREAM_URL.',
    ),
  run: () => import('../server/queue/queue-worker-main.ts'),
};

const upstream: Command = {
  name: 'upstream',
  summary: 'the bundled slow upstream on its own (UPSTREAM_PORT)',
  npmScript: 'npm run upstream',
  flags: helpOnly,
  help: async () => environmentHelp(upstream, 'Runs the bundled slow upstream on its own, on UPSTREAM_PORT (3001).'),
  run: () => import('../upstream/main.ts'),
};

const clean: Command = {
  name: 'clean',
  summary: 'removes the embedded PostgreSQL data looplab keeps between runs (.looplab/)',
  npmScript: 'npm run clean',
  flags: helpOnly,
  help: async () =>
    environmentHelp(
      clean,
      'Removes the embedded PostgreSQL data looplab keeps between runs (.looplab/ and where it was moved to);\na ' +
        'data directory a running PostgreSQL holds is left alone and named.',
    ),
  run: () => import('../scripts/clean-data.ts'),
};

export const COMMANDS: readonly Command[] = [
  serve,
  {
    name: 'loadtest',
    summary: 'the load harness: every workload × mode × level, or --target any server; reports and thresholds',
    npmScript: 'npm run loadtest',
    parsesOwnArgs: true,
    flags: { flags: LOADTEST_SPEC, modes: LOADTEST_MODES },
    help: async () => (await import('../loadtest/cli/usage.ts')).USAGE,
    run: () => import('../loadtest/cli.ts'),
  },
  {
    name: 'advise',
    summary:
      'which mode, and how many threads, for one workload (or an in-flight limit for --target): measured, with the evidence',
    npmScript: 'npm run advise',
    parsesOwnArgs: true,
    flags: { flags: ADVISE_SPEC, modes: ADVISE_MODES },
    help: async () => (await import('../loadtest/advise/usage.ts')).ADVISE_USAGE,
    run: () => import('../loadtest/advise/cli.ts'),
  },
  worker,
  {
    name: 'bench',
    summary: "looplab's plumbing against reference servers doing the same work bare",
    npmScript: 'npm run bench',
    parsesOwnArgs: true,
    flags: { flags: BENCH_FLAGS },
    help: async () => (await import('../bench/options.ts')).BENCH_USAGE,
    run: () => import('../bench/main.ts'),
  },
  {
    name: 'seeds',
    summary: "the five Python tutorials' batch experiments replayed in Node, beside their published numbers",
    npmScript: 'npm run seeds',
    parsesOwnArgs: true,
    flags: { flags: SEEDS_FLAGS },
    help: async () => (await import('../seeds/options.ts')).SEEDS_USAGE,
    run: () => import('../seeds/cli.ts'),
  },
  {
    name: 'gate',
    summary:
      'runs a command (a test suite…) and fails when the event loop stalled in your code: function, file:line, test',
    npmScript: 'npm run gate',
    parsesOwnArgs: true,
    flags: { flags: GATE_FLAGS },
    help: async () => (await import('../stall-blame/gate/flags.ts')).GATE_USAGE,
    run: () => import('../stall-blame/gate/cli.ts'),
  },
  upstream,
  clean,
];
