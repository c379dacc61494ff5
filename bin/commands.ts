/**
 * `looplab <command>`: one entry for the commands the repo runs as npm scripts. Each command is its
 * entry module, loaded only when asked for, with the rest of the command line as its own.
 */
import { readFileSync } from 'node:fs';
import { DATA_DIR } from '../lib/data-dir.ts';
import { LOOPLAB_VERSION } from '../lib/version.ts';
import { CONFIG_VARIABLES, type VariableSpec } from '../lib/config-spec.ts';
import { describeAllowed } from '../lib/env.ts';

interface Command {
  readonly summary: string;
  /** `looplab <command> --help`; null when the command prints its own. */
  readonly usage: (() => string) | null;
  /** Starts the command; its module reads `process.argv.slice(2)` and the environment. */
  readonly run: () => Promise<unknown>;
}

/** The environment a server reads, one line each, from the one table the config loader reads too. */
const environmentHelp = () =>
  Object.entries(CONFIG_VARIABLES)
    .map(([name, spec]: [string, VariableSpec]) => `  ${name.padEnd(22)} ${spec.doc} (${describeAllowed(spec)})`)
    .join('\n');

const SERVE_USAGE = () => `Usage: looplab serve [--workload-file FILE]...

Starts what \`npm start\` starts in the repo: the embedded PostgreSQL (its data in .looplab/ under the
current directory: add .looplab/ to your .gitignore), the slow upstream, the queue workers and the server.

Options:
  --workload-file FILE   a workload file of your own (.js, .mjs or .ts), added to WORKLOADS; repeatable

Environment:
${environmentHelp()}`;

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: {
    summary: 'start the lab server with its embedded PostgreSQL, upstream and queue workers',
    usage: SERVE_USAGE,
    run: () => import('../server/main.ts'),
  },
  loadtest: {
    summary: 'measure a looplab server, or your own with --target (see looplab loadtest --help)',
    usage: null, // the load harness prints its own
    run: () => import('../loadtest/cli.ts'),
  },
  worker: {
    summary: 'one queue worker process for queue mode, for a server started elsewhere',
    usage: () => `Usage: looplab worker

One queue worker process for a looplab server started elsewhere (its QUEUE_WORKERS=0): it reads the
same environment as \`looplab serve\`, and needs DATABASE_URL and UPSTREAM_URL since it starts neither
(REDIS_URL too when the server keeps its queue in Redis).`,
    run: () => import('../server/queue/queue-worker-main.ts'),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: looplab <command> [options]

Commands:
${lines.join('\n')}

looplab <command> --help   the options of one command
looplab --version          ${LOOPLAB_VERSION}`;
}

/** `--workload-file a.js --workload-file=b.ts` → WORKLOADS (after any the environment already names). */
function workloadFilesToEnv(args: readonly string[]): string[] {
  const files: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--workload-file') {
      const file = args[++i];
      if (!file || file.startsWith('--')) fail('serve: --workload-file needs a file path');
      files.push(file);
    } else if (arg.startsWith('--workload-file=')) files.push(arg.slice('--workload-file='.length));
    else rest.push(arg);
  }
  if (rest.length > 0) fail(`serve: unknown argument ${rest[0]}; see looplab serve --help`);
  if (files.length > 0)
    process.env['WORKLOADS'] = [process.env['WORKLOADS'], ...files].filter((item) => item).join(',');
  return rest;
}

/** One line when the project has a .gitignore that does not yet keep looplab's data out of git. */
function gitignoreHint(): void {
  let text: string;
  try {
    text = readFileSync('.gitignore', 'utf8');
  } catch {
    return; // no .gitignore here: not the root of a git project, or not one that uses it
  }
  if (!text.split('\n').some((line) => line.trim().replace(/^\/|\/$/g, '') === DATA_DIR))
    process.stderr.write(`looplab: ${DATA_DIR}/ keeps the embedded PostgreSQL's data; add it to your .gitignore\n`);
}

function fail(message: string): never {
  process.stderr.write(`looplab ${message}\n`);
  process.exit(2);
}

/** Runs `looplab <args>`. */
export async function runCommand(args: readonly string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${LOOPLAB_VERSION}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) fail(`${name}: no such command; the commands are ${Object.keys(COMMANDS).join(', ')}`);
  if (command.usage && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(`${command.usage()}\n`);
    return;
  }
  if (name === 'serve') {
    workloadFilesToEnv(rest);
    gitignoreHint();
  } else if (name === 'worker' && rest.length > 0)
    fail(`worker: unknown argument ${rest[0]}; see looplab worker --help`);
  // The command's module reads its own arguments from process.argv, as it does when npm starts it.
  process.argv.splice(2, process.argv.length - 2, ...rest);
  await command.run();
}
