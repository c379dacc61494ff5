/** docs/reference/exit-codes.md, from the exit-code tables of `looplab loadtest` and `looplab gate`. */
import { EXIT_CODE_TABLE, EXIT_PRECEDENCE_TEXT } from '../../loadtest/cli/exit-codes.ts';
import { GATE_EXIT_TABLE } from '../../stall-blame/gate/env.ts';
import { generatedHeader, table } from './markdown.ts';

const rows = (codes: Readonly<Record<string, { code: number; help: string }>>) =>
  Object.values(codes).map(({ code, help }) => [String(code), help]);

export function renderExitCodes(): string {
  return `${generatedHeader('Exit codes', '`loadtest/cli/exit-codes.ts` and `stall-blame/gate/env.ts`')}
One number has one meaning across looplab's commands, so a CI step can tell a failed gate from a run
that could not happen.

## \`npm run loadtest\`

${table(['code', 'meaning'], rows(EXIT_CODE_TABLE))}

${EXIT_PRECEDENCE_TEXT} \`npm run loadtest -- --help\` prints the same list.

## \`looplab gate -- <command>\`

${table(['code', 'meaning'], [["the command's own", 'the command failed: its failure comes first'], ...rows(GATE_EXIT_TABLE)])}

## \`npm start\`

\`npm start\` exits 0 after an orderly stop (\`looplab: stopped, exit 0\`), and 1 when start-up fails (one line
naming the cause: see [running looplab](../guide/running.md#start-up-problems) and the
[workload file reference](workload-file.md)) or, with \`CLUSTER\` above 1, when a server process dies a
sixth time within 60 s ([shutdown](../design/shutdown-and-keep-alive.md#processes)).
`;
}
