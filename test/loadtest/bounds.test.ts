import { describe, expect, it } from 'vitest';
import { computeBound } from '../../loadtest/analyse/bounds.ts';
import type { ModeName, Scenario, ServerFacts, WorkloadName } from '../../loadtest/types.ts';

const facts: ServerFacts = { dbPool: 10, workers: 2, workerDbPool: 4, uvThreadpoolSize: 4, cpus: 2, node: 'v20' };
const scenario = (workload: WorkloadName, mode: ModeName, connections = 20, rate?: number): Scenario => ({
  workload, mode, connections, rate, workers: undefined, path: '/',
});

describe('computeBound', () => {
  it('fetch: blocking is one call at a time, async scales with connections, worker with threads', () => {
    const params = { delay: '50', count: '1' };
    expect(computeBound(scenario('fetch', 'blocking'), params, facts, {})?.rps).toBeCloseTo(20);
    expect(computeBound(scenario('fetch', 'async'), params, facts, {})?.rps).toBeCloseTo(400);
    expect(computeBound(scenario('fetch', 'worker'), params, facts, {})?.rps).toBeCloseTo(40);
  });

  it('fetch: sequential calls multiply the blocking wait', () => {
    expect(computeBound(scenario('fetch', 'blocking'), { delay: '50', count: '4' }, facts, {})?.rps).toBeCloseTo(5);
  });

  it('db: async is capped by the smaller of connections and the DB pool', () => {
    expect(computeBound(scenario('db', 'async', 50), { sleep: '20', queries: '1' }, facts, {})?.rps).toBeCloseTo(500);
    expect(computeBound(scenario('db', 'async', 5), { sleep: '20', queries: '1' }, facts, {})?.rps).toBeCloseTo(250);
    expect(computeBound(scenario('db', 'worker', 50), { sleep: '20', queries: '8' }, facts, {})?.rps).toBeCloseTo(50);
  });

  it('has no I/O bound when there is no wait to bound', () => {
    expect(computeBound(scenario('db', 'async'), { sleep: '0', queries: '1' }, facts, {})).toBeNull();
    expect(computeBound(scenario('fetch', 'async'), { delay: '0' }, facts, {})).toBeNull();
  });

  it('CPU: the single-thread rate times the threads each mode can use', () => {
    const baseline = { hash: { msPerRequest: 25, samples: 7, atEndMs: null }, cpu: { msPerRequest: 50, samples: 7, atEndMs: null } };
    expect(computeBound(scenario('hash', 'blocking'), { algo: 'pbkdf2' }, facts, baseline)?.rps).toBeCloseTo(40);
    expect(computeBound(scenario('hash', 'async'), { algo: 'pbkdf2' }, facts, baseline)?.rps).toBeCloseTo(80); // libuv 4, but 2 cores
    expect(computeBound(scenario('hash', 'async'), { algo: 'sha256' }, facts, baseline)?.rps).toBeCloseTo(40); // no libuv offload
    expect(computeBound(scenario('cpu', 'async'), {}, facts, baseline)?.rps).toBeCloseTo(20);
    expect(computeBound(scenario('cpu', 'worker', 1), {}, facts, baseline)?.rps).toBeCloseTo(20); // one connection, one thread busy
    expect(computeBound(scenario('cpu', 'worker'), {}, facts, baseline)?.rps).toBeCloseTo(40);
    expect(computeBound(scenario('cpu', 'worker'), {}, facts, {})).toBeNull();
  });

  it('open model: the offered rate bounds throughput too', () => {
    expect(computeBound(scenario('fetch', 'async', 0, 100), { delay: '50' }, facts, {})).toEqual({ rps: 100, basis: 'the offered rate, 100/s' });
    expect(computeBound(scenario('fetch', 'blocking', 0, 100), { delay: '50', count: '1' }, facts, {})?.rps).toBeCloseTo(20);
  });
});
