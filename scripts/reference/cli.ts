/** docs/reference/cli.md, from the command registry (cli/commands.ts) and each command's flag spec. */
import { COMMANDS } from '../../cli/commands.ts';
import type { Command } from '../../cli/command.ts';
import { defaultText, docRangeText, flagSynopsis } from '../../lib/flags.ts';
import { EXIT_CODES_TEXT } from '../../loadtest/cli/exit-codes.ts';
import { LOADTEST_ABOUT } from '../../loadtest/cli/usage.ts';
import { generatedHeader, table } from './markdown.ts';

/** What a command's section says before its flags, where the summary line is not enough. */
const ABOUT: Readonly<Record<string, string>> = {
  loadtest: LOADTEST_ABOUT.replace(/\n/g, ' '),
};

function flagTable({ flags, modes = [] }: Command['flags']): string {
  const header = ['Flag', 'Default', 'Range / values', 'What it does', ...(modes.length ? ['Goes with'] : [])];
  const rows = Object.entries(flags).map(([name, flag]) => [
    `\`${flagSynopsis(name, flag)}\`${flag.short ? `, \`-${flag.short}\`` : ''}`,
    defaultText(flag) ?? '',
    docRangeText(flag) ?? '',
    `${flag.doc}${flag.multiple ? ' (repeatable)' : ''}`,
    ...(modes.length
      ? [
          modes
            .filter((mode) => mode !== name && flag.with?.[mode] !== undefined)
            .map((mode) => `\`--${mode}\``)
            .join(', ') || '—',
        ]
      : []),
  ]);
  return table(header, rows);
}

function section(command: Command): string {
  const { flags, modes = [] } = command.flags;
  const takesNone = Object.keys(flags).every((name) => name === 'help');
  const lines = [
    `## looplab ${command.name}`,
    '',
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}. In the repository: \`${command.npmScript}\`.`,
    ...(ABOUT[command.name] ? ['', ABOUT[command.name] ?? ''] : []),
    '',
    takesNone
      ? 'It takes no flags besides `--help`: it is configured by environment variables ([configuration](configuration.md)).'
      : flagTable(command.flags),
  ];
  if (modes.length > 0) {
    lines.push(
      '',
      `${modes.map((m) => `\`--${m}\``).join(', ')} replace the matrix, and each takes only the flags the last column names with it; any other is refused in one line, exit 2.`,
    );
  }
  if (command.name === 'loadtest') lines.push('', '```text', EXIT_CODES_TEXT, '```');
  return lines.join('\n');
}

export function renderCli(): string {
  return `${generatedHeader('Command line', "`cli/commands.ts` and each command's flag spec (`loadtest/flags.ts`, `bench/options.ts`)")}
One command, \`looplab <command>\`, runs every part of looplab; in the repository each has its npm script, which
calls it. \`looplab --help\` lists the commands, \`looplab <command> --help\` prints a command's flags, and
\`looplab --version\` prints the version. An unknown command or flag is refused in one line, exit 2.

${table(
  ['Command', 'npm script', 'What it does'],
  COMMANDS.map((c) => [`[\`${c.name}\`](#looplab-${c.name})`, `\`${c.npmScript}\``, c.summary]),
)}

Lists are comma-separated, and a list of levels is a sweep. Each flag is given at most once unless it says
it is repeatable.

${COMMANDS.map(section).join('\n\n')}
`;
}
