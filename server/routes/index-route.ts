import { Hono } from 'hono';
import type { ServerFacts } from '../deps.ts';
import { describeAllowed, type ParamSpec } from '../../lib/params.ts';
import { WORKLOADS } from '../workloads/registry.ts';
import { MODES } from '../workloads/workload.ts';
import type { AppEnv } from './app-env.ts';

function describeParam(spec: ParamSpec) {
  if (spec.kind === 'enum') return { type: 'enum', values: spec.values, default: spec.default, description: spec.doc };
  return {
    type: 'integer',
    default: spec.default,
    ...(spec.defaultBy ? { defaultBy: spec.defaultBy } : {}),
    min: spec.min,
    max: spec.max,
    ...(spec.unit ? { unit: spec.unit } : {}),
    allowed: describeAllowed(spec),
    description: spec.doc,
  };
}

/** Built once: the index only changes when the code does. */
function buildIndex(about: ServerFacts) {
  return {
    name: 'looplab',
    server: about,
    description: 'The same workloads run blocking, async or in a worker pool, to see what each costs the event loop.',
    modes: {
      blocking: 'the event-loop thread does the work (or waits for the I/O) synchronously and serves nothing else meanwhile',
      async: 'non-blocking APIs awaited on the event loop',
      worker: 'the work runs in a worker_threads pool (piscina); each worker holds its own clients',
    },
    endpoints: [
      { method: 'GET', path: '/', description: 'this index' },
      { method: 'GET', path: '/health', description: 'answers at once unless the event loop is blocked' },
      { method: 'GET', path: '/ready', description: '200 when database, upstream and worker pool are usable, else 503 naming what is not' },
      { method: 'GET', path: '/metrics', description: 'Prometheus metrics: event loop, request durations, worker pool, DB pool' },
      ...Object.values(WORKLOADS).map((w) => ({
        method: 'GET',
        path: `/${w.name}/:mode`,
        description: w.summary,
        modes: Object.fromEntries(MODES.map((m) => [m, w.modes[m]])),
        params: Object.fromEntries(Object.entries(w.params).map(([name, spec]) => [name, describeParam(spec)])),
        example: `/${w.name}/async`,
      })),
    ],
    errors: {
      400: '{"error", "param", "allowed"}: a parameter is unknown, repeated, not plain digits or out of range',
      404: 'unknown path, workload or mode; the body lists the valid ones',
      502: 'the upstream could not be reached or answered an error',
      503: 'the database is unavailable',
      504: 'a dependency did not answer in time',
    },
  };
}

export function indexRoute(about: ServerFacts) {
  const index = buildIndex(about);
  return new Hono<AppEnv>().get('/', function describe(c) {
    return c.json(index);
  });
}
