#!/usr/bin/env node
/**
 * `looplab <command>`: one entry for every command (cli/commands.ts). The command's module runs in
 * this process, imported, never spawned: `npm start` execs node on this file, so the server is still
 * npm's direct child and gets the signals the terminal, systemd or a container runtime send.
 */
import './supported-node-check.ts';
import { parseArgs } from 'node:util';
import { parseArgsConfig } from '../lib/flags.ts';
import { EXIT } from '../loadtest/cli/exit-codes.ts';
import { COMMANDS } from './commands.ts';
import { LOOPLAB_VERSION } from '../lib/version.ts';

const width = Math.max(...COMMANDS.map((c) => c.name.length));
const HELP = `Usage: looplab <command> [options]        (looplab <command> --help for its options)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

  --help, -h     this text
  --version, -v  looplab's version`;

function refuse(message: string): never {
  process.stderr.write(`looplab: ${message}\n`);
  process.exit(EXIT.usage);
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined) {
  process.stderr.write(`${HELP}\n`);
  process.exit(EXIT.usage);
}
if (name === '--help' || name === '-h') {
  process.stdout.write(`${HELP}\n`);
  process.exit(EXIT.ok);
}
if (name === '--version' || name === '-v') {
  process.stdout.write(`${LOOPLAB_VERSION}\n`);
  process.exit(EXIT.ok);
}
const command = COMMANDS.find((c) => c.name === name);
if (!command) {
  refuse(
    `${name.startsWith('-') ? `"${name}" is not a command` : `unknown command "${name}"`}; the commands: ` +
      `${COMMANDS.map((c) => c.name).join(', ')} (looplab --help)`,
  );
}
if (!command.parsesOwnArgs) {
  let help = false;
  try {
    help = Boolean(parseArgs({ args, options: parseArgsConfig(command.flags.flags), strict: true }).values['help']);
  } catch (err) {
    refuse(`${command.name}: ${(err as Error).message.split('\n')[0]} (looplab ${command.name} --help)`);
  }
  if (help) {
    process.stdout.write(`${await command.help()}\n`);
    process.exit(EXIT.ok);
  }
}
// The command reads its own arguments as if it had been started on its own: node, script, its args.
process.argv.splice(2, 1);
await command.run();
