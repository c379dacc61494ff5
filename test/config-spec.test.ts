import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, type VariableSpec } from '../lib/config-spec.ts';
import { describeAllowed } from '../lib/env.ts';
import { ConfigError, loadConfig } from '../server/config.ts';

/**
 * Walks the configuration spec (lib/config-spec.ts) and exercises the real loader with each variable: a spec
 * entry the loader ignores, a range the loader does not enforce, or a default it does not apply goes red.
 */
const VARIABLES = Object.entries(CONFIG_VARIABLES) as [string, VariableSpec][];

/** A variable's default, worked out from the spec alone (derived defaults from the defaults they read). */
function specDefault(name: string): string {
  const spec = (CONFIG_VARIABLES as Record<string, VariableSpec>)[name] as VariableSpec;
  switch (spec.kind) {
    case 'int':
      return String(
        typeof spec.default === 'number'
          ? spec.default
          : spec.default({ cpus: availableParallelism(), value: (other) => Number(specDefault(other)) }),
      );
    case 'url':
    case 'paths':
      return '';
    default:
      return spec.default;
  }
}

/** Values just outside what each variable allows, with the `got …` its message must end with. */
function outside(spec: VariableSpec): [string, string][] {
  switch (spec.kind) {
    case 'int': {
      const below = spec.min - 1;
      return [
        [String(below), below < 0 ? `"${below}"` : String(below)],
        [String(spec.max + 1), String(spec.max + 1)],
      ];
    }
    case 'choice':
      return [[`not-${spec.choices[0]}`, `"not-${spec.choices[0]}"`]];
    case 'paths':
      return [['a.ts,,b.ts', 'an empty entry in "a.ts,,b.ts"']];
    default:
      return [];
  }
}

describe('the configuration spec, through the real loader', () => {
  it.each(VARIABLES.filter(([, spec]) => spec.kind === 'int'))(
    'refuses %s one past either end of its range, with the message naming it and the range',
    (name, spec) => {
      if (spec.kind !== 'int') throw new Error('unreachable');
      for (const [raw, got] of outside(spec)) {
        const load = () => loadConfig({ [name]: raw }, '/repo');
        expect(load).toThrow(ConfigError);
        expect(load).toThrow(`${name} must be ${describeAllowed(spec)}, got ${got}`);
        expect(load).toThrow(`from ${spec.min} to ${spec.max}`);
      }
      // The ends themselves are allowed (and 0 where it means off).
      for (const edge of [spec.min, spec.max, ...('off' in spec ? [0] : [])])
        expect(() => loadConfig({ [name]: String(edge) }, '/repo')).not.toThrow();
    },
  );

  it.each(VARIABLES.filter(([, spec]) => spec.kind === 'choice' || spec.kind === 'paths'))(
    'refuses %s outside what it allows, with the message the spec describes',
    (name, spec) => {
      for (const [raw, got] of outside(spec))
        expect(() => loadConfig({ [name]: raw }, '/repo')).toThrow(
          `${name} must be ${describeAllowed(spec)}, got ${got}`,
        );
    },
  );

  it.each(VARIABLES.filter(([, spec]) => spec.kind === 'url'))(
    'refuses %s with another scheme, naming the schemes it allows',
    (name, spec) => {
      if (spec.kind !== 'url') throw new Error('unreachable');
      expect(() => loadConfig({ [name]: 'ftp://host/x' }, '/repo')).toThrow(
        `${name} must use ${spec.protocols.join(' or ')}, got ftp:`,
      );
      expect(() => loadConfig({ [name]: 'no url' }, '/repo')).toThrow(`${name} must be ${describeAllowed(spec)}`);
    },
  );

  it('leaves only free text unrefused', () => {
    const unbounded = VARIABLES.filter(([, spec]) => outside(spec).length === 0 && spec.kind !== 'url');
    expect(unbounded.map(([name]) => name)).toEqual(['HOST', 'PG_DATA_DIR']);
  });

  it('refuses a renamed variable with one line naming its new name, rather than ignoring it', () => {
    expect(() => loadConfig({ STALL_BLAME_MS: '20' }, '/repo')).toThrow(
      new ConfigError('STALL_BLAME_MS is now called STALL_THRESHOLD_MS; set STALL_THRESHOLD_MS instead'),
    );
  });

  it.each(VARIABLES)('gives %s its default when unset, and the same config when set to that default', (name) => {
    const unset = loadConfig({}, '/repo');
    expect(loadConfig({ [name]: specDefault(name) }, '/repo')).toEqual(unset);
  });
});
