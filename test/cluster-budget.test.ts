import { describe, expect, it } from 'vitest';
import { connectionShortfall, connectionsPerProcess } from '../server/cluster/connection-budget.ts';
import { createRestartBudget } from '../server/cluster/restart-budget.ts';

const pools = { cluster: 4, dbPool: 10, workers: 2, workerDbPool: 4 };

describe('the connection budget of a cluster', () => {
  it('counts per process the async pool, a pool per worker thread and the blocking helper', () => {
    expect(connectionsPerProcess(pools)).toBe(10 + 2 * 4 + 1);
  });

  it('accepts pools that exactly fill what the database allows, and refuses one connection more naming the variables', () => {
    // 4 × 19 = 76 needed; 100 − 3 reserved − 21 in use = 76 available.
    expect(connectionShortfall(pools, { maxConnections: 100, reserved: 3, inUse: 21 })).toBeUndefined();
    expect(connectionShortfall(pools, { maxConnections: 100, reserved: 3, inUse: 22 })).toBe(
      'CLUSTER=4 × (DB_POOL 10 + WORKERS 2 × WORKER_DB_POOL 4 + 1 for blocking mode) = 76 connections, but the database allows 75 ' +
        '(max_connections 100 − 3 reserved for superusers − 22 in use); lower CLUSTER, DB_POOL, WORKERS or WORKER_DB_POOL, or raise max_connections',
    );
  });
});

describe('the restart budget', () => {
  it('allows 5 restarts within 60 s, refuses the 6th, and allows again once the first has aged out', () => {
    const budget = createRestartBudget();
    for (let t = 0; t < 5; t++) expect(budget.take(t * 1000)).toBe(true);
    expect(budget.take(59_000)).toBe(false);
    expect(budget.take(60_000)).toBe(true);
  });
});
