import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions } from '../../loadtest/cli/options.ts';
import { USAGE } from '../../loadtest/cli/usage.ts';
import { LOADTEST_MODES, LOADTEST_SPEC, type LoadtestMode } from '../../loadtest/flags.ts';

/**
 * The flag spec (loadtest/flags.ts) walked against its real consumers: the parser, `--help` and the
 * allow-lists of --faults, --export and --target. A flag added to the spec without a parser line, or an
 * allow-list that says one thing while the parser does another, fails here.
 */
const names = Object.keys(LOADTEST_SPEC).filter((name) => name !== 'help');
const spec = (name: string) => LOADTEST_SPEC[name]!;

/**
 * `args` with what `name` needs to parse at all; what it needs after `--` (a server command) goes last,
 * since everything after `--` is that command's.
 */
function withNeeds(name: string, args: readonly string[]): string[] {
  const needs = spec(name).needs ?? [];
  const split = needs.indexOf('--');
  return split === -1 ? [...needs, ...args] : [...needs.slice(0, split), ...args, ...needs.slice(split)];
}

/** `--name value…`, as a user would type it, with what it needs to parse at all. */
const use = (name: string): string[] => withNeeds(name, [`--${name}`, ...(spec(name).examples ?? [])]);

/** A mode's flag with its own argument(s). */
const modeArgs = (mode: LoadtestMode) => use(mode);

const parse = (argv: readonly string[]) => parseOptions(argv, '/home/me');

describe('each loadtest flag in the spec', () => {
  it.each(names)('--%s is accepted by the parser, with its example', (name) => {
    expect(() => parse(use(name))).not.toThrow();
  });

  it.each(names)('--%s is shown in --help, with its range and default', (name) => {
    const f = spec(name);
    const entry = new RegExp(`^  --${name}${f.value ? ` ${f.value}` : ''}`, 'm');
    expect(USAGE).toMatch(entry);
    const block = USAGE.slice(USAGE.search(entry))
      .split(/\n {2}--/)[0]!
      .replace(/\s+/g, ' ');
    if (f.range) expect(block).toContain(`${f.range.min}..${f.range.max}`);
    if (typeof f.default === 'number' || typeof f.default === 'string')
      expect(block).toContain(`default: ${f.default}`);
  });

  it.each(names.filter((name) => spec(name).range))('--%s refuses one past its range with the spec range', (name) => {
    const { min, max } = spec(name).range!;
    for (const value of [max + 1, ...(min > 0 ? [min - 1] : [])]) {
      expect(() => parse(withNeeds(name, [`--${name}`, String(value)]))).toThrow(
        `--${name}: ${value} is out of range (${min}..${max})`,
      );
    }
  });

  it.each(names.filter((name) => !spec(name).multiple))('--%s given twice is refused', (name) => {
    const twice = withNeeds(name, [
      `--${name}`,
      ...(spec(name).examples ?? []),
      `--${name}`,
      ...(spec(name).examples ?? []),
    ]);
    expect(() => parse(twice)).toThrow(OptionsError);
  });

  it.each(names.filter((name) => spec(name).multiple))('--%s is repeatable', (name) => {
    expect(() => parse([...use(name), ...use(name)])).not.toThrow();
  });
});

describe('the allow-lists of --faults, --export and --target', () => {
  const cases = LOADTEST_MODES.flatMap((mode) =>
    names.filter((name) => name !== mode).map((name) => [mode, name, spec(name).with?.[mode] !== undefined] as const),
  );

  it.each(cases)('--%s with --%s: accepted is %s, as the spec says', (mode, name, accepted) => {
    // What a flag needs is left out when the mode is what it needs (--target with --probe).
    const needs = spec(name).needs?.[0] === `--${mode}` ? [] : (spec(name).needs ?? []);
    const argv = [...modeArgs(mode), ...needs, `--${name}`, ...(spec(name).examples ?? [])];
    if (accepted) {
      expect(() => parse(argv)).not.toThrow();
    } else {
      expect(() => parse(argv)).toThrow(OptionsError);
      // The refusal names the flag it will not take (or, for a mode with a mode, one of the two).
      expect(() => parse(argv)).toThrow(new RegExp(`--(${name}|${mode})\\b`));
    }
  });

  it('--help lists what each mode takes, from the spec', () => {
    expect(USAGE).toContain('--faults takes only --rate, --duration, --out, --json');
  });
});

describe('--workload, now two flags', () => {
  it.each([[['--workload', './w.ts']], [['--workload=./w.ts']], [['--workloads', 'hash', '--workload', 'x']]])(
    '%j is refused with a one-line hint naming --workload-file and --workloads',
    (argv) => {
      expect(() => parse(argv)).toThrow(
        '--workload is now two flags: --workload-file FILE for a workload file of your own, --workloads NAMES for workloads by name',
      );
    },
  );
});

describe('--blame-threshold, now --stall-threshold', () => {
  it.each([[['--blame-threshold', '50']], [['--blame-threshold=50']]])(
    '%j is refused with a one-line hint naming --stall-threshold',
    (argv) => {
      expect(() => parse(argv)).toThrow(
        '--blame-threshold is now called --stall-threshold (the one name of the stall threshold, as STALL_THRESHOLD_MS)',
      );
    },
  );

  it('takes --stall-threshold as the threshold of the server the harness starts', () => {
    expect(parse(['--stall-threshold', '50'])).toMatchObject({ stallThresholdMs: 50 });
  });
});
