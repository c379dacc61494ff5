import { resolve } from 'node:path';

/**
 * The directory the user typed the command in. `npx looplab` runs there; `npm run`/`npm --prefix` run
 * the script in the package's own directory and leave the user's in INIT_CWD.
 */
export function userDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env['INIT_CWD'] || process.cwd();
}

/** A path the user gave on the command line, resolved against {@link userDirectory}, never the package's. */
export function userPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(userDirectory(env), path);
}
