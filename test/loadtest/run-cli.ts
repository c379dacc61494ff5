import { execFile } from 'node:child_process';
import { inject } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time of the whole command, including Node's start-up. */
  seconds: number;
}

/**
 * The run's PostgreSQL and upstream (test/global-setup.ts), given as a user with DATABASE_URL and
 * UPSTREAM_URL set gives them: a run that starts its own server then starts no database of its own.
 * That the harness starts an embedded one is harness.test.ts's and targets.test.ts's to show.
 */
function suiteDependencies(): Record<string, string> {
  const databaseUrl = inject('databaseUrl');
  const upstreamUrl = inject('upstreamUrl');
  return databaseUrl && upstreamUrl ? { DATABASE_URL: databaseUrl, UPSTREAM_URL: upstreamUrl } : {};
}

/**
 * Runs the real `loadtest/cli.ts` as a child process, as `npm run loadtest` does, and resolves with
 * its exit code and output whatever the code (a non-zero exit is a result here, not an error).
 * Without `env`, it runs with this process's environment and the suite's database and upstream.
 */
export function runCli(
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...typeScriptLoaderArgs(), 'loadtest/cli.ts', ...args],
      { timeout: options.timeoutMs ?? 60_000, env: options.env ?? { ...process.env, ...suiteDependencies() } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

/** A stack trace line, as Node prints them: what a user must never meet. */
export const STACK_LINE = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

/**
 * The hang guard of a case that runs side by side with others: five CLI start-ups at once share two
 * cores (and other people's load), so one takes several times as long as alone. Never a speed check.
 */
export const SIDE_BY_SIDE_GUARD_MS = 120_000;
