import { describe, expect, it } from 'vitest';
import { HttpError } from '../../lib/http-error.ts';
import { describeAllowed, type ParamSpecs, parseParams } from '../../lib/params.ts';

/** A hand-made endpoint: an enum, an int with a unit, and an int whose default follows the enum. */
const SPECS = {
  algo: { kind: 'enum', values: ['fast', 'slow'], default: 'fast', doc: 'which' },
  delay: { kind: 'int', min: 1, max: 500, default: 10, unit: 'ms', doc: 'how long' },
  cost: {
    kind: 'int',
    min: 0,
    max: 1_000_000,
    default: 100,
    defaultBy: { param: 'algo', values: { slow: 7 } },
    doc: 'how much',
  },
} as const satisfies ParamSpecs;

const parse = (query: string) => parseParams(SPECS, new URLSearchParams(query));

/** The 400's JSON body, or 'accepted'. */
function refusal(query: string, specs: ParamSpecs = SPECS): Record<string, unknown> | 'accepted' {
  try {
    parseParams(specs, new URLSearchParams(query));
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, ...err.toBody() };
    throw err;
  }
  return 'accepted';
}

describe('query parameters, parsed strictly', () => {
  it('takes each default when nothing is given, and a default that follows an earlier enum parameter', () => {
    expect(parse('')).toEqual({ algo: 'fast', delay: 10, cost: 100 });
    // algo=slow has its own cost default (7); algo=fast has none listed, so the plain default (100).
    expect(parse('algo=slow')).toEqual({ algo: 'slow', delay: 10, cost: 7 });
    expect(parse('algo=slow&cost=9')).toEqual({ algo: 'slow', delay: 10, cost: 9 });
  });

  it('keeps a range inclusive at both ends, and refuses one past either end, naming the range', () => {
    expect(parse('delay=1').delay).toBe(1);
    expect(parse('delay=500').delay).toBe(500);
    for (const outside of ['0', '501']) {
      expect(refusal(`delay=${outside}`)).toEqual({
        status: 400,
        error: '"delay" is out of range',
        param: 'delay',
        allowed: 'whole number 1..500 ms',
      });
    }
  });

  it('refuses anything but plain decimal digits, even where its value would be in range', () => {
    // Each of these reads as a number in range (100, 16, 1.5, 1, 0) if coerced: a typo would run other work.
    for (const raw of ['1e2', '0x10', '1.5', '+1', '', ' 1', '12345678901234567']) {
      expect(refusal(`delay=${encodeURIComponent(raw)}`)).toMatchObject({
        status: 400,
        error: '"delay" must be plain decimal digits',
        param: 'delay',
      });
    }
  });

  it('takes only the listed words for an enum, naming them', () => {
    expect(parse('algo=slow').algo).toBe('slow');
    expect(refusal('algo=medium')).toEqual({
      status: 400,
      error: '"algo" must be one of the listed values',
      param: 'algo',
      allowed: 'fast | slow',
    });
  });

  it('refuses a parameter the endpoint does not know, naming the ones it does (or that it has none)', () => {
    expect(refusal('dealy=5')).toEqual({
      status: 400,
      error: 'unknown parameter "dealy"',
      param: 'dealy',
      allowed: 'algo, delay, cost',
    });
    expect(refusal('x=1', {})).toMatchObject({ param: 'x', allowed: 'no parameters' });
  });

  it('refuses a parameter given twice, even with the same value', () => {
    expect(refusal('delay=5&delay=5')).toMatchObject({
      status: 400,
      error: 'parameter "delay" is given more than once',
      param: 'delay',
    });
  });

  it('writes the allowed values as the errors and the index show them', () => {
    expect(describeAllowed(SPECS.delay)).toBe('whole number 1..500 ms');
    expect(describeAllowed(SPECS.cost)).toBe('whole number 0..1000000');
    expect(describeAllowed(SPECS.algo)).toBe('fast | slow');
  });
});
