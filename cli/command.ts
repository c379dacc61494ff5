import type { Flags } from '../lib/flags.ts';

/** One `looplab <command>`: what the dispatcher lists, how it prints its help, and the module it runs. */
export interface Command {
  name: string;
  /** One line for `looplab --help`. */
  summary: string;
  /** The npm script that runs it in the repo, e.g. `npm start`. */
  npmScript: string;
  /** Its flags, from their spec; `modes` are the flags that take only some of the others (loadtest's --faults…). */
  flags: { flags: Flags<string>; modes?: readonly string[] };
  /** Its `--help` text. */
  help(): Promise<string>;
  /**
   * True when the command reads its own argv (process.argv.slice(2)): its flags, `--help` and refusals
   * are its own. Otherwise the dispatcher checks that only its flags were given (exit 2 if not).
   */
  parsesOwnArgs?: true;
  /** Runs it in this process: the module's top level is the command (no child process, no extra layer for signals). */
  run(): Promise<unknown>;
}

/** The flags of a command that takes none: configured by its environment, as `npm start` is. */
export const HELP_ONLY: Flags<string> = { help: { type: 'boolean', short: 'h', doc: 'this text' } };

/** The help of a command that is configured by environment variables, not flags. */
export function environmentHelp(command: Pick<Command, 'name' | 'npmScript'>, about: string): string {
  return `Usage: looplab ${command.name}        (${command.npmScript})

${about}

It takes no options: it is configured by environment variables (docs/reference/configuration.md).
  --help, -h           this text`;
}
