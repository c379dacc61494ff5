import { Hono } from 'hono';
import type { IndexAnswer, IndexParam, IndexWorkload } from '../../contract/index-answer.ts';
import type { ServerFacts } from '../../contract/server-facts.ts';
import { describeAllowed, type ParamSpec } from '../../lib/params.ts';
import { MODES } from '../../contract/modes.ts';
import { MODE_TRAITS } from '../workloads/modes.ts';
import type { Registry } from '../workloads/registry.ts';
import type { Workload } from '../workloads/workload.ts';
import type { AppEnv } from './app-env.ts';
import { routeModes, type RouteMode } from './workload-route.ts';

const QUEUE_DESCRIPTION =
  'the job goes through BullMQ to a queue worker process (npm run worker), which runs the worker form with its own clients';

/** What `mode` does for `workload`; queue mode runs the worker form in another process. */
function describeMode(workload: Workload, mode: RouteMode): string {
  return mode === 'queue'
    ? `in a queue worker process: ${workload.describe.worker ?? ''}`
    : (workload.describe[mode] ?? '');
}

function describeParam(spec: ParamSpec): IndexParam {
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

/**
 * One workload as the index publishes it: everything a client (the load harness) needs to run it
 * without knowing it — the modes it has, its parameters, the parameters to load it with by default,
 * where its bound model is evaluated, and which dependency it exercises, if any.
 */
function describeWorkload(w: Workload, queue: boolean): IndexWorkload {
  const query = new URLSearchParams(w.faultDrill?.params as Record<string, string> | undefined).toString();
  return {
    method: 'GET',
    path: `/${w.name}/:mode`,
    description: w.summary,
    source: w.source,
    modes: Object.fromEntries(routeModes(w, queue).map((m) => [m, describeMode(w, m)])),
    params: Object.fromEntries(Object.entries(w.params).map(([name, spec]) => [name, describeParam(spec)])),
    loadtest: { params: w.loadtestParams },
    // The path answers for every workload: it also checks parameters the way the workload's paths do.
    bound: { kind: w.bound?.kind ?? null, path: `/${w.name}/bound` },
    ...(w.faultDrill ? { faultDrill: { dependency: w.faultDrill.dependency, path: `/${w.name}/async?${query}` } } : {}),
    example: `/${w.name}/${w.modes.includes('async') ? 'async' : w.modes[0]}`,
  };
}

/** Built once: the index only changes when the code (or the WORKLOADS files) do. */
function buildIndex(about: ServerFacts, registry: Registry, queue: boolean): IndexAnswer {
  return {
    name: 'looplab',
    server: about,
    description: 'The same workloads run blocking, async or in a worker pool, to see what each costs the event loop.',
    modes: {
      ...Object.fromEntries(MODES.map((m) => [m, MODE_TRAITS[m].description])),
      ...(queue ? { queue: QUEUE_DESCRIPTION } : {}),
    },
    endpoints: [
      { method: 'GET', path: '/', description: 'this index' },
      { method: 'GET', path: '/health', description: 'answers at once unless the event loop is blocked' },
      {
        method: 'GET',
        path: '/ready',
        description:
          '200 when database, upstream, worker pool (and job queue, with queue mode) are usable, else 503 naming what is not',
      },
      {
        method: 'GET',
        path: '/metrics',
        description: 'Prometheus metrics: event loop, request durations, worker pool, DB pool',
      },
      {
        method: 'GET',
        path: '/:workload/bound',
        description:
          "a workload's bound model for the given parameters (for the load harness), or the 400 its paths would give",
      },
      ...registry.all.map((w) => describeWorkload(w, queue)),
    ],
    errors: {
      400: '{"error", "param", "allowed"}: a parameter is unknown, repeated, not plain digits or out of range',
      404: 'unknown path, workload or mode; the body lists the valid ones',
      502: 'the upstream could not be reached or answered an error',
      503: 'the database or job queue is unavailable, or a bounded queue is full (with Retry-After)',
      504: 'a dependency did not answer in time',
    },
  };
}

/** `queue`: whether this server has queue mode (QUEUE=on), so the index lists it. */
export function indexRoute(about: ServerFacts, registry: Registry, queue = false) {
  const index = buildIndex(about, registry, queue);
  return new Hono<AppEnv>().get('/', function describe(c) {
    return c.json(index);
  });
}
