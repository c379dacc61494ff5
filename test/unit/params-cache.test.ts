import { describe, expect, it } from 'vitest';
import { HttpError } from '../../lib/http-error.ts';
import { paramsParser, queryOf } from '../../server/routes/params-cache.ts';
import { BUILT_IN_REGISTRY } from '../../server/workloads/registry.ts';

const dbWorkload = BUILT_IN_REGISTRY.find('db') ?? expect.fail('the db workload is built in');

const refusal = (parse: () => unknown) => {
  try {
    parse();
  } catch (err) {
    return err instanceof HttpError ? { status: err.status, ...err.toBody() } : err;
  }
  throw new Error('expected a refusal');
};

describe("a workload's parameter parser, which remembers accepted query strings", () => {
  it('parses a query it has seen to the same values, each caller getting a copy of its own', () => {
    const parse = paramsParser(dbWorkload);
    const first = parse('queries=3');
    expect(first).toEqual({ queries: 3, sleep: 0 });
    first['queries'] = 500; // a workload that changes its parameters…
    expect(parse('queries=3')).toEqual({ queries: 3, sleep: 0 }); // …does not change the next request's
    expect(parse('')).toEqual({ queries: 1, sleep: 0 });
  });

  it('refuses a bad query every time it is asked, naming the parameter', () => {
    const parse = paramsParser(dbWorkload);
    for (let i = 0; i < 2; i++) {
      expect(refusal(() => parse('queries=1e3'))).toMatchObject({ status: 400, param: 'queries' });
      expect(refusal(() => parse('queries=2&sleep=20000'))).toMatchObject({ status: 400, param: 'sleep' });
      expect(refusal(() => parse('queries=1&queries=2'))).toMatchObject({ status: 400, param: 'queries' });
    }
  });

  it('stays right past the number of queries it remembers', () => {
    const parse = paramsParser(dbWorkload);
    for (let n = 1; n <= 200; n++) expect(parse(`queries=${n}`)).toEqual({ queries: n, sleep: 0 });
    for (let n = 200; n >= 1; n--) expect(parse(`queries=${n}&sleep=1`)).toEqual({ queries: n, sleep: 1 });
  });

  it('reads the query string of a request URL, without its fragment', () => {
    expect(queryOf('http://h/db/async?queries=2#x')).toBe('queries=2');
    expect(queryOf('http://h/db/async')).toBe('');
  });
});
