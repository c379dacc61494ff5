import { afterAll, describe, expect, inject, it } from 'vitest';
import { createSql } from '../lib/postgres-sql.ts';
import { readByPid as perProcess, readSample } from '../loadtest/measure/server-metrics.ts';
import { getOnNewConnection, serverProcesses } from './helpers/cluster.ts';
import { stillAlive } from './helpers/process-tree.ts';
import { runToEnd } from './helpers/processes.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * CLUSTER=2 against the run's database and upstream: two real server processes behind one port, a
 * primary that only supervises, and one `/metrics` for both.
 */
let server: ServerProcess | undefined;
let started: number[] = [];
afterAll(() => {
  server?.kill();
  for (const pid of stillAlive(started)) process.kill(pid, 'SIGKILL');
});

/**
 * One cluster for the cases of CLUSTER=2, started once (a start is two server processes and their
 * worker threads, seconds on this machine): the first case counts on a fresh one, the second kills
 * one of its processes.
 */
let cluster: Promise<{ server: ServerProcess; pids: number[] }> | undefined;
function theCluster(): Promise<{ server: ServerProcess; pids: number[] }> {
  cluster ??= startServerProcess({ CLUSTER: '2', WORKERS: '1', DB_POOL: '3' }).then((s) => {
    server = s;
    started = serverProcesses(s.pid);
    return { server: s, pids: started };
  });
  return cluster;
}

const metricsOf = async (url: string) => (await fetch(`${url}/metrics`)).text();
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

describe('CLUSTER=2', () => {
  it('serves from two processes, and /metrics adds up what each of them counts', async () => {
    const { server, pids } = await theCluster();
    expect(pids).toHaveLength(2);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => getOnNewConnection(`${server.url}/hash/async?cost=1`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));

    const text = await metricsOf(server.url);
    const requests = perProcess(text, 'looplab_process_workload_requests_total');
    // Both processes served: the per-process counts are keyed by exactly the two forked pids.
    expect([...requests.keys()].sort()).toEqual([...pids].sort());
    for (const [pid, n] of requests) expect(n, `pid ${pid}`).toBeGreaterThan(0);
    // By hand: 40 requests were sent, 2 processes × DB_POOL 3 connections, 2 × WORKERS 1 threads.
    expect(sum(requests.values())).toBe(40);
    expect(
      readSample(text, 'looplab_request_duration_seconds_count', 'workload="hash",mode="async",status="200"'),
    ).toBe(40);
    expect(readSample(text, 'looplab_db_pool_size')).toBe(6);
    expect(readSample(text, 'looplab_worker_pool_threads')).toBe(2);
    // Totals are the sums (and the loop-delay maximum the maximum) of the same scrape's per-process figures.
    const active = perProcess(text, 'looplab_process_event_loop_active_seconds_total');
    expect(active.size).toBe(2);
    expect(readSample(text, 'looplab_event_loop_active_seconds_total')).toBeCloseTo(sum(active.values()), 9);
    const cpu = perProcess(text, 'looplab_process_cpu_seconds_total');
    expect(readSample(text, 'process_cpu_seconds_total')).toBeCloseTo(sum(cpu.values()), 9);
    const maxDelay = perProcess(text, 'looplab_process_event_loop_delay_seconds', 'stat="max"');
    expect(readSample(text, 'looplab_event_loop_delay_seconds', 'stat="max"')).toBe(Math.max(...maxDelay.values()));
    const utilization = perProcess(text, 'looplab_process_event_loop_utilization');
    expect(readSample(text, 'looplab_event_loop_utilization')).toBeCloseTo(sum(utilization.values()) / 2, 9);
  }, 120_000);

  it('replaces a server process killed with SIGKILL, and keeps answering meanwhile', async () => {
    const { server, pids } = await theCluster();
    const [victim, survivor] = pids as [number, number];
    process.kill(victim, 'SIGKILL');
    // Once the primary has seen the exit, new connections go to the survivor (and then to the
    // replacement): none is refused or lost. (A connection the primary hands over in the instant
    // before it notices is lost: node:cluster's round-robin hand-off; docs/guide/beyond-one-machine.md says so.)
    await waitFor(
      'the primary to notice',
      () => (server.output().includes(`server process ${victim} exited unexpectedly`) ? true : undefined),
      30_000,
      20,
    );
    const during = [];
    for (let i = 0; i < 20; i++) during.push((await getOnNewConnection(`${server.url}/hash/async?cost=1`)).status);
    expect(during).toEqual(Array(20).fill(200));

    const replaced = await waitFor(
      'a new server process',
      () => {
        const now = serverProcesses(server.pid);
        return now.length === 2 && !now.includes(victim) ? now : undefined;
      },
      60_000,
      100,
    );
    started = replaced;
    expect(replaced).toContain(survivor);
    const replacement = replaced.find((pid) => pid !== survivor) ?? -1;
    expect(server.output()).toContain(
      `server process ${victim} exited unexpectedly (code null, signal SIGKILL); started pid ${replacement} in its place`,
    );
    // The replacement serves: its pid appears in the per-process counts once it has answered.
    await waitFor(
      'the replacement to answer',
      async () => {
        await getOnNewConnection(`${server.url}/hash/async?cost=1`);
        return (perProcess(await metricsOf(server.url), 'looplab_process_workload_requests_total').get(replacement) ??
          0) > 0
          ? true
          : undefined;
      },
      60_000,
      100,
    );
  }, 120_000);
});

describe('CLUSTER with pools the database cannot hold', () => {
  it('refuses to start in one line naming the variables and the limit read from the server', async () => {
    const sql = createSql(inject('databaseUrl'), 1);
    const [row] = await sql<{ max_connections: string }[]>`show max_connections`;
    await sql.end();
    const env = {
      PORT: '0',
      DATABASE_URL: inject('databaseUrl'),
      UPSTREAM_URL: inject('upstreamUrl'),
      CLUSTER: '2',
      DB_POOL: '100',
      WORKERS: '64',
      WORKER_DB_POOL: '20',
    };
    const { code, output } = await runToEnd(env);
    expect(code).toBe(1);
    // By hand: 2 × (100 + 64 × 20 + 1) = 2762.
    expect(output).toMatch(
      new RegExp(
        `^looplab: start-up failed: CLUSTER=2 × \\(DB_POOL 100 \\+ WORKERS 64 × WORKER_DB_POOL 20 \\+ 1 for blocking ` +
          `mode\\) = 2762 connections, but the database allows \\d+ \\(max_connections ${row?.max_connections} − \\d+ ` +
          `reserved for superusers − \\d+ in use\\); lower CLUSTER, DB_POOL, WORKERS or WORKER_DB_POOL, or raise ` +
          `max_connections$`,
        'm',
      ),
    );
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).not.toMatch(/listening on/);
  }, 90_000);
});
