import type { Hono } from 'hono';
import type { ServerFacts } from '../../contract/server-facts.ts';
import { evaluateBound } from '../workloads/bound-answer.ts';
import type { Registry } from '../workloads/registry.ts';
import type { AppEnv } from './app-env.ts';
import { queryOf, validParams } from './params-cache.ts';

/**
 * `GET /<name>/bound?…`: the workload's bound model for these parameters (bound-answer.ts), and the
 * parameters as the server would run them — or the same 400 the workload's own paths would give.
 * The load harness asks it before any load, so a run the server would refuse never starts.
 */
export function mountBounds(app: Hono<AppEnv>, registry: Registry, facts: ServerFacts): void {
  for (const workload of registry.all) {
    app.get(`/${workload.name}/bound`, function bound(c) {
      const params = validParams(workload, queryOf(c.req.url));
      return c.json({ workload: workload.name, params, bound: evaluateBound(workload, params, facts) });
    });
  }
}
