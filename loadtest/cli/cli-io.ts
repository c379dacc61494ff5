import { userDirectory } from '../../lib/user-path.ts';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readResultsFile } from '../analyse/compare.ts';
import { EXIT } from './exit-codes.ts';
import { OptionsError } from './options-error.ts';
import type { Results } from '../types.ts';

/** Prints one plain sentence on stderr and exits with `code`: the CLI's only way to fail. */
export function fail(message: string, code: number): never {
  process.stderr.write(`loadtest: ${message}\n`);
  process.exit(code);
}

/**
 * Nothing a user does should end in a stack trace: an error no one expected is still reported in one
 * line (with the stack only when LOOPLAB_DEBUG is set) and exits "could not run".
 */
export function reportCrashesPlainly(debug: boolean): void {
  const crash = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    fail(
      `the harness failed: ${message}${debug && err instanceof Error ? `\n${err.stack}` : ' (LOOPLAB_DEBUG=1 shows the stack)'}`,
      EXIT.couldNotRun,
    );
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/**
 * Reads the `--compare` file (relative to where the user typed the command) before anything starts; any
 * problem is an OptionsError (exit 2) in one line.
 */
export async function readPrevious(
  path: string,
  base: string = userDirectory(),
): Promise<{ results: Results; schema: string }> {
  let text: string;
  try {
    text = await readFile(resolve(base, path), 'utf8');
  } catch (err) {
    throw new OptionsError(`--compare: cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return readResultsFile(text, path);
  } catch (err) {
    throw new OptionsError(`--compare: ${(err as Error).message}`);
  }
}

/**
 * `npm run loadtest -- --json | jq` fails on the banner npm prints to stdout before the script
 * starts; it cannot be taken back from here, so say how to avoid it (`npm run -s`).
 */
export function npmBannerHint(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env['npm_lifecycle_event'] !== 'loadtest') return undefined;
  const level = env['npm_config_loglevel'];
  if (level === 'silent' || level === 'error' || level === 'warn') return undefined;
  return 'npm printed its "> looplab@… loadtest" banner on stdout before this JSON; use `npm run -s loadtest -- --json …` for JSON only';
}

/**
 * Checks before the run that its reports can be written under `--out`, so a long run does not end in
 * a write error. Nothing is created yet: the nearest existing folder must be a writable directory;
 * otherwise an OptionsError (exit 2).
 */
export async function checkOutDir(out: string, base: string = userDirectory()): Promise<void> {
  let path = resolve(base, out);
  for (;;) {
    const info = await stat(path).catch(() => undefined);
    if (info) {
      if (!info.isDirectory())
        throw new OptionsError(`--out: ${path} is not a directory, so ${out} cannot hold the reports`);
      await access(path, constants.W_OK).catch(() => {
        throw new OptionsError(`--out: ${path} is not writable, so ${out} cannot hold the reports`);
      });
      return;
    }
    if (dirname(path) === path) return;
    path = dirname(path);
  }
}
