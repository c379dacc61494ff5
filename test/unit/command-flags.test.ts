import { describe, expect, it } from 'vitest';
import { BENCH_FLAGS, parseBenchArgs } from '../../bench/options.ts';
import type { Flag, Flags } from '../../lib/flags.ts';
import { ADVISE_SPEC } from '../../loadtest/advise/flags.ts';
import { parseAdviseArgs } from '../../loadtest/advise/options.ts';
import { parseSeedsOptions, SEEDS_FLAGS } from '../../seeds/options.ts';

/**
 * The flag specs of the commands beside `loadtest` (whose own walk is test/loadtest/cli-flags.test.ts),
 * each walked against its real parser: every flag is accepted with its example (or its default), and a
 * ranged flag one past either end is refused in a message naming the flag and the spec's range. A spec
 * entry its parser ignores, or a range the parser does not enforce (or enforces from a copy), goes red.
 * (`--help` is walked for every command, from the same specs, in test/cli/looplab.test.ts.)
 */
type Parse = (argv: readonly string[]) => unknown;

/** What one advise run needs to parse at all: a workload, or for --target's flags, the target. */
const adviseNeeds = (flag: Flag<string>): string[] =>
  flag.with?.['target'] && flag.needs ? [...flag.needs] : ['--workloads', 'cpu'];

const COMMANDS: ReadonlyArray<{
  name: string;
  flags: Flags<string>;
  parse: Parse;
  needs: (f: Flag<string>) => string[];
}> = [
  { name: 'advise', flags: ADVISE_SPEC, parse: (argv) => parseAdviseArgs(argv, '/home/me'), needs: adviseNeeds },
  { name: 'bench', flags: BENCH_FLAGS, parse: parseBenchArgs, needs: () => [] },
  { name: 'seeds', flags: SEEDS_FLAGS, parse: parseSeedsOptions, needs: () => [] },
];

/** `--name value`, as a user would type it: the example, else the first value allowed, else the default. */
function use(name: string, flag: Flag<string>): string[] {
  if (flag.type === 'boolean') return [`--${name}`];
  const value =
    flag.examples?.join(' ') ?? flag.allowed?.[0] ?? (flag.default === undefined ? undefined : String(flag.default));
  return value === undefined ? [`--${name}`, 'x'] : [`--${name}`, value];
}

const cases = COMMANDS.flatMap((command) =>
  Object.entries(command.flags)
    .filter(([name]) => name !== 'help' && name !== 'target')
    .map(([name, flag]) => [command.name, name, flag, command] as const),
);

describe("each flag of advise, bench and seeds, through the command's parser", () => {
  it.each(cases)('%s --%s is accepted with its example or default', (_command, name, flag, command) => {
    expect(() => command.parse([...command.needs(flag), ...use(name, flag)])).not.toThrow();
  });

  it.each(cases.filter(([, , flag]) => flag.range))(
    '%s --%s refuses one past either end of its range, naming the flag and the range',
    (_command, name, flag, command) => {
      const { min, max } = flag.range as { min: number; max: number };
      for (const value of [max + 1, ...(min > 0 ? [min - 1] : [])]) {
        const parse = () => command.parse([...command.needs(flag), `--${name}`, String(value)]);
        expect(parse).toThrow(`--${name}`);
        expect(parse).toThrow(new RegExp(`\\b${min}\\b.*\\b${max}\\b`));
      }
      for (const value of [min, max])
        expect(() => command.parse([...command.needs(flag), `--${name}`, String(value)])).not.toThrow();
    },
  );

  it('advise takes --target with its URL, as the flag spec says', () => {
    expect(() => parseAdviseArgs(['--target', 'http://127.0.0.1:8080/x'])).not.toThrow();
  });

  it('advise refuses the retired --workload with the same one-line hint as loadtest', () => {
    expect(() => parseAdviseArgs(['--workload', './w.ts'])).toThrow(
      '--workload is now two flags: --workload-file FILE for a workload file of your own, --workloads NAMES for workloads by name',
    );
  });
});
