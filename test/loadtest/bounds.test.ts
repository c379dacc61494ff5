import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { computeBound } from '../../loadtest/analyse/bounds.ts';
import { mountBounds } from '../../server/routes/bound-route.ts';
import type { AppEnv } from '../../server/routes/app-env.ts';
import type { BoundAnswer } from '../../contract/bound.ts';
import { BUILT_IN_REGISTRY } from '../../server/workloads/registry.ts';
import type { ModeName, Scenario, ServerFacts, WorkloadName } from '../../loadtest/types.ts';

const facts: ServerFacts = { dbPool: 10, workers: 2, workerDbPool: 4, uvThreadpoolSize: 4, cpus: 2, node: 'v20' };
const scenario = (workload: WorkloadName, mode: ModeName, connections = 20, rate?: number): Scenario => ({
  workload,
  mode,
  connections,
  rate,
  workers: undefined,
  path: '/',
});

/** The bound model the server's own route gives for a workload and parameters (what the harness asks before a run). */
async function model(workload: string, params: Record<string, string>): Promise<BoundAnswer | null> {
  const app = new Hono<AppEnv>();
  mountBounds(app, BUILT_IN_REGISTRY, facts);
  const res = await app.request(`/${workload}/bound?${new URLSearchParams(params)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { bound: BoundAnswer | null }).bound;
}

// Expected values by hand: Little's law (concurrency × 1000 / ms) and single-thread rate × threads.
describe('computeBound', () => {
  it('fetch: blocking is one call at a time, async scales with connections, worker with threads', async () => {
    const params = { delay: '50', count: '1' };
    expect(computeBound(scenario('fetch', 'blocking'), await model('fetch', params), facts, {})?.rps).toBeCloseTo(20);
    expect(computeBound(scenario('fetch', 'async'), await model('fetch', params), facts, {})?.rps).toBeCloseTo(400);
    expect(computeBound(scenario('fetch', 'worker'), await model('fetch', params), facts, {})?.rps).toBeCloseTo(40);
  });

  it('fetch: sequential calls multiply the blocking wait', async () => {
    expect(
      computeBound(scenario('fetch', 'blocking'), await model('fetch', { delay: '50', count: '4' }), facts, {})?.rps,
    ).toBeCloseTo(5);
  });

  it('db: async is capped by the smaller of connections and the DB pool', async () => {
    expect(
      computeBound(scenario('db', 'async', 50), await model('db', { sleep: '20', queries: '1' }), facts, {})?.rps,
    ).toBeCloseTo(500);
    expect(
      computeBound(scenario('db', 'async', 5), await model('db', { sleep: '20', queries: '1' }), facts, {})?.rps,
    ).toBeCloseTo(250);
    expect(
      computeBound(scenario('db', 'worker', 50), await model('db', { sleep: '20', queries: '8' }), facts, {})?.rps,
    ).toBeCloseTo(50);
  });

  it('has no I/O bound when there is no wait to bound', async () => {
    expect(
      computeBound(scenario('db', 'async'), await model('db', { sleep: '0', queries: '1' }), facts, {}),
    ).toBeNull();
    expect(computeBound(scenario('fetch', 'async'), await model('fetch', { delay: '0' }), facts, {})).toBeNull();
  });

  it('CPU: the single-thread rate times the threads each mode can use', async () => {
    const baseline = {
      hash: { msPerRequest: 25, samples: 7, atEndMs: null },
      cpu: { msPerRequest: 50, samples: 7, atEndMs: null },
    };
    expect(
      computeBound(scenario('hash', 'blocking'), await model('hash', { algo: 'pbkdf2' }), facts, baseline)?.rps,
    ).toBeCloseTo(40);
    expect(
      computeBound(scenario('hash', 'async'), await model('hash', { algo: 'pbkdf2' }), facts, baseline)?.rps,
    ).toBeCloseTo(80); // libuv 4, but 2 cores
    expect(
      computeBound(scenario('hash', 'async'), await model('hash', { algo: 'sha256' }), facts, baseline)?.rps,
    ).toBeCloseTo(40); // no libuv offload
    expect(computeBound(scenario('cpu', 'async'), await model('cpu', {}), facts, baseline)?.rps).toBeCloseTo(20);
    expect(computeBound(scenario('cpu', 'worker', 1), await model('cpu', {}), facts, baseline)?.rps).toBeCloseTo(20); // one connection, one thread busy
    expect(computeBound(scenario('cpu', 'worker'), await model('cpu', {}), facts, baseline)?.rps).toBeCloseTo(40);
    expect(computeBound(scenario('cpu', 'worker'), await model('cpu', {}), facts, {})).toBeNull();
  });

  it('a workload without a bound model has no bound, except the offered rate', () => {
    expect(computeBound(scenario('mine', 'blocking'), null, facts, {})).toBeNull();
    expect(computeBound(scenario('mine', 'blocking', 0, 30), null, facts, {})).toEqual({
      rps: 30,
      basis: 'the offered rate, 30/s',
    });
  });

  it('open model: the offered rate bounds throughput too', async () => {
    expect(computeBound(scenario('fetch', 'async', 0, 100), await model('fetch', { delay: '50' }), facts, {})).toEqual({
      rps: 100,
      basis: 'the offered rate, 100/s',
    });
    expect(
      computeBound(scenario('fetch', 'blocking', 0, 100), await model('fetch', { delay: '50', count: '1' }), facts, {})
        ?.rps,
    ).toBeCloseTo(20);
  });

  it('cluster: each process adds an event loop and its own pools, never more cores', async () => {
    const inCluster = (workload: WorkloadName, mode: ModeName, processes: number, connections = 20): Scenario => ({
      ...scenario(workload, mode, connections),
      processes,
    });
    const baseline = {
      hash: { msPerRequest: 25, samples: 7, atEndMs: null },
      cpu: { msPerRequest: 50, samples: 7, atEndMs: null },
    };
    expect(
      computeBound(inCluster('db', 'blocking', 2), await model('db', { sleep: '20', queries: '1' }), facts, {}),
    ).toEqual({ rps: 100, basis: '2 processes × 1 request at a time × 1 quer(ies) of 20 ms in sequence' });
    expect(
      computeBound(inCluster('db', 'blocking', 4, 3), await model('db', { sleep: '20', queries: '1' }), facts, {})?.rps,
    ).toBeCloseTo(150); // 3 connections: 3 loops busy
    expect(
      computeBound(inCluster('db', 'async', 2, 50), await model('db', { sleep: '20', queries: '2' }), facts, {})?.rps,
    ).toBeCloseTo(500); // pool 2 × 10
    expect(computeBound(inCluster('fetch', 'worker', 2), await model('fetch', { delay: '50' }), facts, {})?.basis).toBe(
      'min(20 connections, 2 processes × 2 workers) tasks of 50 ms',
    );
    expect(computeBound(inCluster('cpu', 'blocking', 2), await model('cpu', {}), facts, baseline)?.rps).toBeCloseTo(40);
    expect(computeBound(inCluster('cpu', 'worker', 4), await model('cpu', {}), facts, baseline)?.rps).toBeCloseTo(40); // 8 workers, 2 cores
  });
  it('queue: the worker form on the queue slots (QUEUE_WORKERS × QUEUE_CONCURRENCY), none without local queue workers', async () => {
    const withQueue: ServerFacts = { ...facts, queue: { backend: 'postgres', workers: 1, concurrency: 3, max: 48 } };
    const baseline = {
      hash: { msPerRequest: 25, samples: 7, atEndMs: null },
      cpu: { msPerRequest: 50, samples: 7, atEndMs: null },
    };
    // min(20 connections, 1 × 3 slots) tasks of 50 ms: 3 × 1000 / 50 = 60/s.
    expect(computeBound(scenario('fetch', 'queue'), await model('fetch', { delay: '50' }), withQueue, {})).toEqual({
      rps: 60,
      basis: 'min(20 connections, 3 queue slots) tasks of 50 ms',
    });
    // 3 slots but 2 cores: 2 × (1000 / 50 ms) = 40/s.
    expect(computeBound(scenario('cpu', 'queue'), await model('cpu', {}), withQueue, baseline)?.rps).toBeCloseTo(40);
    expect(computeBound(scenario('fetch', 'queue'), await model('fetch', { delay: '50' }), facts, {})).toBeNull();
  });
});
