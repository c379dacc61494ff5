/**
 * Readers for environment variables, shared by every entry point (the server, the bundled upstream, the
 * load harness), so each validates the same way and names the variable in its error. What each variable
 * allows comes from its entry in lib/config-spec.ts; the messages below are derived from it. Each entry
 * parses its own variables once, at its edge; nothing deeper reads `process.env`.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  CONFIG_VARIABLES,
  RENAMED_VARIABLES,
  type IntVariable,
  type VariableName,
  type VariableSpec,
} from './config-spec.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/** What reading a variable of each kind gives. */
export type ValueOf<S extends VariableSpec> = S extends { kind: 'int' }
  ? number
  : S extends { kind: 'url' }
    ? string | undefined
    : S extends { kind: 'choice'; choices: readonly (infer C)[] }
      ? C
      : S extends { kind: 'paths' }
        ? readonly string[]
        : string;

/** Where relative paths are resolved, and the machine facts derived defaults read. */
export interface ReadContext {
  /** The directory the process runs in (PG_DATA_DIR is resolved against it). */
  readonly cwd?: string;
  readonly cpus?: number;
}

function orList(words: readonly string[]): string {
  return words.length === 2 ? `${words[0]} or ${words[1]}` : `one of ${words.join(', ')}`;
}

/** What a variable allows, in the words of its error message ("a whole number from 1 to 64"). */
export function describeAllowed(spec: VariableSpec): string {
  switch (spec.kind) {
    case 'int': {
      const range = `a whole number from ${spec.min} to ${spec.max}`;
      return 'off' in spec ? `0 (off) or ${range}` : range;
    }
    case 'url':
      return `a URL (${spec.protocols.join(' or ')})`;
    case 'choice':
      return orList(spec.choices);
    case 'paths':
      return 'a comma-separated list of file paths';
    case 'path':
      return 'a path';
    case 'text':
      return 'any text';
  }
}

function refuse(name: string, spec: VariableSpec, got: string): never {
  throw new ConfigError(`${name} must be ${describeAllowed(spec)}, got ${got}`);
}

function readWholeNumber(name: string, spec: IntVariable, raw: string): number {
  if (!/^\d+$/.test(raw)) refuse(name, spec, `"${raw}"`);
  const value = Number(raw);
  const allowed = (value >= spec.min && value <= spec.max) || ('off' in spec && value === 0);
  if (!allowed) refuse(name, spec, String(value));
  return value;
}

function readUrl(name: string, spec: Extract<VariableSpec, { kind: 'url' }>, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be ${describeAllowed(spec)}, got something unparsable`);
  }
  if (!spec.protocols.includes(url.protocol))
    throw new ConfigError(`${name} must use ${spec.protocols.join(' or ')}, got ${url.protocol}`);
  return 'asBase' in spec ? url.origin + url.pathname.replace(/\/+$/, '') : raw;
}

function readPaths(name: string, spec: VariableSpec, raw: string, env: Env, cwd: string): readonly string[] {
  if (raw.trim() === '') return Object.freeze([]);
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) refuse(name, spec, `an empty entry in "${raw}"`);
  // `npm --prefix <repo> start` runs in the repo; INIT_CWD is where the user typed the command, which
  // is what a relative path in their command line means.
  const base = env['INIT_CWD'] || cwd;
  return Object.freeze(items.map((item) => resolve(base, item)));
}

/** A variable's default: its number, or the function of other variables it is derived from. */
function defaultNumber(spec: IntVariable, value: (name: string) => number, cpus: number): number {
  return typeof spec.default === 'number' ? spec.default : spec.default({ cpus, value });
}

function intSpec(name: string): IntVariable {
  const spec = (CONFIG_VARIABLES as Record<string, VariableSpec>)[name];
  if (spec?.kind !== 'int') throw new Error(`config-spec: ${name} is not a whole-number variable`);
  return spec;
}

/**
 * Reads one variable as its spec says: the default when unset or empty.
 * @throws ConfigError naming the variable and what it allows.
 */
export function readVariable<N extends VariableName>(
  env: Env,
  name: N,
  context: ReadContext = {},
): ValueOf<(typeof CONFIG_VARIABLES)[N]> {
  const spec: VariableSpec = CONFIG_VARIABLES[name];
  const cwd = context.cwd ?? process.cwd();
  const raw = env[name] ?? '';
  type Value = ValueOf<(typeof CONFIG_VARIABLES)[N]>;
  switch (spec.kind) {
    case 'int': {
      if (raw !== '') return readWholeNumber(name, spec, raw) as Value;
      const cpus = context.cpus ?? availableParallelism();
      const value = (other: string) => {
        intSpec(other);
        return readVariable(env, other as VariableName, context) as number;
      };
      return defaultNumber(spec, value, cpus) as Value;
    }
    case 'url':
      return (raw === '' ? undefined : readUrl(name, spec, raw)) as Value;
    case 'choice':
      if (raw === '') return spec.default as Value;
      if (!spec.choices.includes(raw)) refuse(name, spec, `"${raw}"`);
      return raw as Value;
    case 'paths':
      return readPaths(name, spec, raw, env, cwd) as Value;
    case 'path':
      return resolve(cwd, raw || spec.default) as Value;
    case 'text':
      return (raw || spec.default) as Value;
  }
}

/** @throws ConfigError when `env` sets a variable by a name it no longer has, naming the new one. */
export function refuseRenamed(env: Env): void {
  for (const [old, now] of Object.entries(RENAMED_VARIABLES)) {
    if (env[old] !== undefined) throw new ConfigError(`${old} is now called ${now}; set ${now} instead`);
  }
}

/**
 * The default of a whole-number variable for a caller that was handed some settings and not others
 * (createDeps in tests): derived defaults read the `given` values of the variables they depend on.
 */
export function defaultOf(name: VariableName, given: Readonly<Record<string, number>> = {}): number {
  return defaultNumber(
    intSpec(name),
    (other) => {
      const value = given[other];
      if (value === undefined) throw new Error(`config-spec: the default of ${name} needs ${other}`);
      return value;
    },
    availableParallelism(),
  );
}

/** The dependencies an entry may be pointed at instead of starting its own (`npm start`, the harness). */
export function readDependencyUrls(env: Env): { databaseUrl: string | undefined; upstreamUrl: string | undefined } {
  return {
    databaseUrl: readVariable(env, 'DATABASE_URL'),
    upstreamUrl: readVariable(env, 'UPSTREAM_URL'),
  };
}
