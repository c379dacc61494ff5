/** docs/reference/cli.md, from the command registry (cli/commands.ts) and each command's flag spec. */
import { COMMANDS } from '../../cli/commands.ts';
import type { Command } from '../../cli/command.ts';
import { defaultText, docRangeText, flagSynopsis } from '../../lib/flags.ts';
import { LOADTEST_ABOUT } from '../../loadtest/cli/usage.ts';
import { generatedHeader, table } from './markdown.ts';

/** The npm scripts that are not a looplab command: the repository's own tooling. */
const OTHER_SCRIPTS: readonly (readonly [string, string])[] = [
  [
    '`npm test`',
    'the fast tier: the type check, the linter and the quick tests ([CONTRIBUTING](../../CONTRIBUTING.md#tests))',
  ],
  ['`npm run test:all`', 'every test, the slow ones that start, signal and load real processes too'],
  ['`npm run bench:queue -- …`', 'the queue bench (`scripts/queue-bench.ts`)'],
  [
    '`npm run bench:stall -- …`',
    'what stall blame and the stall gate cost a loop, with the 95% confidence bounds of the cost table (`stall-blame/bench.ts`)',
  ],
  ['`npm run lint`, `npm run format`', 'Biome, in check mode and writing'],
  ['`npm run docs:reference`', 'writes the generated reference pages, this one among them'],
];

/** How the harness treats what it is given, beyond each flag's own row. */
const LOADTEST_RULES = `Examples of each kind of run are in [the first hour](../guide/first-hour.md#2-load-it-npm-run-loadtest).

The harness knows no workload by name: before any load it reads the workloads, their modes, their
load-test parameters and bound models from the server's index (\`GET /\`) — the built-ins by default, the
files' workloads with \`--workload-file FILE\`, any by name with \`--workloads\` — and every \`--params\` value is
checked by that server itself (\`GET /<workload>/bound?…\` answers the same 400 as the workload), so a typo
is one line and exit 2, not a scenario of 400s; an option given twice, or one \`--faults\` would ignore, is
refused at once. A threshold compares in the table's units and fails on a figure the run could not support
(a p99 of fewer than 100 answers, printed \`–\`) rather than pass unchecked; its \`errors\` counts every
request that did not end in 2xx. Progress goes to stderr — on a terminal one live line per scenario (phase,
elapsed, requests and errors so far, time left), otherwise a plain line every 5 s — and the table, or with
\`--json\` only the results, to stdout.

Its exit codes: [exit codes](exit-codes.md). The pages of \`--target\` ([your own server](../guide/own-server.md)),
\`--queue-backends\` ([queue mode in the harness](../guide/beyond-one-machine.md#queue-mode-in-the-harness)),
\`--export k6\` ([k6](../guide/beyond-one-machine.md#--export-k6-dir-the-same-scenarios-for-k6)) and \`--faults\`
([the fault run](../design/reliability.md#the-fault-run)) say more of each.`;

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
      `${modes.map((m) => `\`--${m}\``).join(', ')} replace the matrix, and each takes only the flags the last ` +
        `column names with it; any other is refused in one line, exit 2.`,
    );
  }
  if (command.name === 'loadtest') lines.push('', LOADTEST_RULES);
  return lines.join('\n');
}

export function renderCli(): string {
  return `${generatedHeader('Command line', "`cli/commands.ts` and each command's flag spec (`loadtest/flags.ts`, `loadtest/advise/flags.ts`, `bench/options.ts`)")}
One command, \`looplab <command>\`, runs every part of looplab; in the repository each has its npm script, which
calls it. \`looplab --help\` lists the commands, \`looplab <command> --help\` prints a command's flags, and
\`looplab --version\` prints the version. An unknown command or flag is refused in one line, exit 2.

${table(
  ['Command', 'npm script', 'What it does'],
  COMMANDS.map((c) => [`[\`${c.name}\`](#looplab-${c.name})`, `\`${c.npmScript}\``, c.summary]),
)}

The repository's other npm scripts:

${table(['npm script', 'What it does'], OTHER_SCRIPTS)}

Lists are comma-separated, and a list of levels is a sweep. Each flag is given at most once unless it says
it is repeatable.

${COMMANDS.map(section).join('\n\n')}

## Stall-blame report files

\`node --import tsx stall-blame/table.ts blame.json\` prints a report file as a table
([stall blame](../guide/stall-blame.md)).
`;
}
