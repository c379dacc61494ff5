import { HttpError } from './http-error.ts';

/** A whole-number query parameter with a default and an inclusive range. */
export interface IntParam {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly unit?: string;
  /** A default that depends on an enum parameter declared before this one. */
  readonly defaultBy?: { readonly param: string; readonly values: Readonly<Record<string, number>> };
  readonly doc: string;
}

/** A query parameter that takes one of a fixed list of words. */
export interface EnumParam<V extends string = string> {
  readonly kind: 'enum';
  readonly values: readonly V[];
  readonly default: V;
  readonly doc: string;
}

export type ParamSpec = IntParam | EnumParam;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** The parsed, typed values of a set of specs. */
export type ParamValues<S extends ParamSpecs> = { -readonly [K in keyof S]: ValueOf<S[K]> };
/** Distributes over unions, so the values of the generic `ParamSpecs` are `string | number`. */
type ValueOf<P> = P extends EnumParam<infer V> ? V : number;

const DIGITS = /^\d{1,16}$/;

/** How the allowed values of a parameter are written in errors and in the index. */
export function describeAllowed(spec: ParamSpec): string {
  if (spec.kind === 'enum') return spec.values.join(' | ');
  const unit = spec.unit ? ` ${spec.unit}` : '';
  return `whole number ${spec.min}..${spec.max}${unit}`;
}

function badParam(param: string, spec: ParamSpec, what: string): HttpError {
  return new HttpError(400, what, { param, allowed: describeAllowed(spec) });
}

/**
 * Strict parsing: plain decimal digits only (no `1e3`, `0x10`, `1.5`, `+1` or empty values), one
 * occurrence per parameter, and no parameter the endpoint does not know. Coercing such input would
 * let a typo silently run a different amount of work than the caller meant.
 * @throws HttpError 400 naming the parameter and its allowed values.
 */
export function parseParams<S extends ParamSpecs>(specs: S, query: URLSearchParams): ParamValues<S> {
  for (const name of new Set(query.keys())) {
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      throw new HttpError(400, `unknown parameter "${name}"`, {
        param: name,
        allowed: known.length > 0 ? known.join(', ') : 'no parameters',
      });
    }
    if (query.getAll(name).length > 1) throw badParam(name, spec, `parameter "${name}" is given more than once`);
  }

  const values: Record<string, number | string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = query.get(name);
    if (raw === null) {
      const by = spec.kind === 'int' ? spec.defaultBy : undefined;
      values[name] = by?.values[String(values[by.param])] ?? spec.default;
    } else if (spec.kind === 'enum') {
      if (!(spec.values as readonly string[]).includes(raw))
        throw badParam(name, spec, `"${name}" must be one of the listed values`);
      values[name] = raw;
    } else {
      if (!DIGITS.test(raw)) throw badParam(name, spec, `"${name}" must be plain decimal digits`);
      const value = Number(raw);
      if (value < spec.min || value > spec.max) throw badParam(name, spec, `"${name}" is out of range`);
      values[name] = value;
    }
  }
  return values as ParamValues<S>;
}
