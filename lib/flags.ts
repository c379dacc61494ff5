/**
 * A command's flags, each defined once. node:util's parseArgs config, the `--help` text, the reference
 * page (docs/reference/cli.md) and the allow-lists of the modes that take only some flags are all
 * derived from one list, so a flag is added in one place and no copy can drift. (The page itself is
 * rendered by scripts/reference/cli.ts.)
 */
import type { ParseArgsOptionsConfig } from 'node:util';

export interface Flag<Group extends string = never> {
  type: 'string' | 'boolean';
  /** The value's placeholder in `--help` and the docs: FILE, LIST, N, S, URL… */
  value?: string;
  /** Repeatable: every occurrence is kept. Any other flag given twice is refused. */
  multiple?: true;
  short?: string;
  /** The literal default, where there is one; the command's defaults read it from here. */
  default?: number | string | readonly number[];
  /** The default in words, where it is not one literal (e.g. "every built-in"). */
  defaultText?: string;
  /** Whole numbers only; every value (each item of a list) must lie within it. */
  range?: { readonly min: number; readonly max: number };
  /** The range in words, for the reference page, where it depends on the machine (e.g. `1..4 × cores`). */
  rangeText?: string;
  /** The values it takes, where they are a closed set. */
  allowed?: readonly string[];
  /** What it does, in sentences for `--help` (wrapped) and the reference page. */
  doc: string;
  /** The argument(s) after the flag in a use that parses, e.g. `['k6', 'scripts']` (none for a boolean). */
  examples?: readonly string[];
  /** What must come with it for it to parse at all (e.g. `--probe` needs `--target URL`). */
  needs?: readonly string[];
  /**
   * The modes (flags that replace the whole run, e.g. `--faults`) this flag may be combined with. A
   * string is what the mode's refusal says of it, e.g. `(one value)`.
   */
  with?: Partial<Record<Group, true | string>>;
}

export type Flags<Group extends string = never> = Readonly<Record<string, Flag<Group>>>;

/** A parsed value, typed by its spec entry: a boolean, a list for a repeatable flag, else a string. */
type FlagValue<F> = F extends { type: 'boolean' } ? boolean : F extends { multiple: true } ? string[] : string;

/**
 * node:util parseArgs's values, typed by a spec declared `as const`: a flag used as it is given (a
 * switch, a path) is read from here, so adding one needs no field and no parse line of its own.
 */
export type FlagValues<Spec> = { readonly [K in keyof Spec]?: FlagValue<Spec[K]> };

/** node:util parseArgs's `options`, from the spec. */
export function parseArgsConfig(flags: Flags<string>): ParseArgsOptionsConfig {
  return Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [
      name,
      { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) },
    ]),
  );
}

/** The names of the flags that go with `group`, in the spec's order. */
export function flagsWith<Group extends string>(flags: Flags<Group>, group: Group): string[] {
  return Object.keys(flags).filter((name) => flags[name]?.with?.[group] !== undefined);
}

/** `8`, `20`, `results`, `1..600`: a default or range as help and docs print it. */
export function defaultText(flag: Flag<string>): string | undefined {
  if (flag.defaultText !== undefined) return flag.defaultText;
  if (flag.default === undefined) return undefined;
  return Array.isArray(flag.default) ? flag.default.join(',') : String(flag.default);
}

const rangeText = (flag: Flag<string>): string | undefined =>
  flag.range ? `${flag.range.min}..${flag.range.max}` : flag.allowed ? flag.allowed.join(', ') : undefined;

/** Wraps text to `width` columns, each line after the first indented by `indent`. */
export function wrap(text: string, indent: number, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

/** The flag as it is typed: `--duration S`, `--json`. */
export const flagSynopsis = (name: string, flag: Flag<string>): string =>
  `--${name}${flag.value ? ` ${flag.value}` : ''}`;

/** The help line's tail: its range and default, from the spec. */
function facts(flag: Flag<string>): string {
  const parts = [
    flag.range ? rangeText(flag) : flag.allowed ? `one of ${rangeText(flag)}` : undefined,
    defaultText(flag) !== undefined ? `default: ${defaultText(flag)}` : undefined,
    flag.multiple ? 'repeatable' : undefined,
  ].filter((p) => p !== undefined);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

const COLUMN = 23;

/** The `--help` block of a command's flags: one entry per flag, its doc wrapped under its synopsis. */
export function renderFlagsHelp(flags: Flags<string>): string {
  return Object.entries(flags)
    .map(([name, flag]) => {
      const head = `  ${flagSynopsis(name, flag)}${flag.short ? `, -${flag.short}` : ''}`;
      const [first = '', ...rest] = wrap(`${flag.doc}${facts(flag)}`, COLUMN);
      const pad = ' '.repeat(COLUMN);
      const lines =
        head.length < COLUMN - 1
          ? [head.padEnd(COLUMN) + first, ...rest.map((l) => pad + l)]
          : [head, pad + first, ...rest.map((l) => pad + l)];
      return lines.join('\n');
    })
    .join('\n');
}

/** The range or values as the reference page prints them: machine-independent. */
export const docRangeText = (flag: Flag<string>): string | undefined => flag.rangeText ?? rangeText(flag);
