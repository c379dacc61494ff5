import { HttpError } from '../../lib/http-error.ts';
import { parseParams } from '../../lib/params.ts';
import type { Workload } from '../workloads/workload.ts';

/** Distinct query strings remembered per workload; past it the memory starts over (any query still parses). */
const REMEMBERED_QUERIES = 64;

/**
 * Parses a query string with the workload's parameter specs and its cross-parameter check.
 * @throws HttpError 400 naming the parameter and what it allows.
 */
export function validParams(workload: Workload, query: string): Record<string, number | string> {
  const params = parseParams(workload.params, new URLSearchParams(query));
  const problem = workload.check(params);
  if (problem) throw new HttpError(400, problem.error, { param: problem.param, allowed: problem.allowed });
  return params;
}

/**
 * {@link validParams} for one workload's requests, remembering what each accepted query string parsed
 * to: load repeats a handful of queries, and building a `URLSearchParams` and checking every parameter
 * again for each request was a visible share of a `/db/async` profile. Refusals are not remembered
 * (they are parsed again each time, so junk cannot fill the memory), and every caller gets a copy of
 * its own, so a workload that changes its parameters cannot change the next request's.
 */
export function paramsParser(workload: Workload): (query: string) => Record<string, number | string> {
  const accepted = new Map<string, Readonly<Record<string, number | string>>>();
  return function parse(query) {
    let params = accepted.get(query);
    if (params === undefined) {
      params = validParams(workload, query);
      if (accepted.size >= REMEMBERED_QUERIES) accepted.clear();
      accepted.set(query, params);
    }
    return { ...params };
  };
}

/** The query string of a request URL (without `?` and any fragment), found without building a whole `URL`. */
export function queryOf(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return '';
  const end = url.indexOf('#', start);
  return url.slice(start + 1, end === -1 ? undefined : end);
}
