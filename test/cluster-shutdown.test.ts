import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { freePort } from '../lib/free-port.ts';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { serverProcesses } from './helpers/cluster.ts';
import { descendants, killLeftoversAfterEach, refused, startLooplab, waitForExit } from './helpers/processes.ts';

/**
 * A cluster stopped by a real signal with requests in flight in both server processes: every request
 * is answered in full, then the upstream and PostgreSQL stop, and nothing stays behind.
 */
let dataDir = '';
const leaveNothingBehind = killLeftoversAfterEach();
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'looplab-cluster-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const CASES = [
  {
    label: 'SIGTERM to the primary only, async database and upstream calls in flight, embedded PostgreSQL',
    target: 'top',
    signal: 'SIGTERM',
    // Had PostgreSQL or the upstream stopped before the server processes, these would be 503 and 502.
    paths: Array.from({ length: 8 }, (_, i) => (i % 2 ? '/db/async?sleep=1500' : '/fetch/async?delay=1500')),
    embedded: true,
  },
  {
    label: 'Ctrl-C (SIGINT to the process group), both event loops blocked',
    target: 'group',
    signal: 'SIGINT',
    paths: Array.from({ length: 6 }, () => '/cpu/blocking?task=sum-squares&n=60000000'),
    embedded: false,
  },
] as const;

it.each(CASES)(
  '$label: every request answered, every process gone',
  async ({ target, signal, paths, embedded }) => {
    const pgPort = await freePort();
    const env: Record<string, string> = embedded
      ? { DATABASE_URL: '', UPSTREAM_URL: '', PG_PORT: String(pgPort), PG_DATA_DIR: dataDir, UPSTREAM_PORT: '0' }
      : { DATABASE_URL: inject('databaseUrl'), UPSTREAM_URL: inject('upstreamUrl') };
    const started = await startLooplab(process.execPath, [...typeScriptLoaderArgs(), 'server/main.ts'], {
      PORT: '0',
      CLUSTER: '2',
      WORKERS: '1',
      SHUTDOWN_GRACE_MS: '20000',
      ...env,
    });
    const primary = started.child.pid ?? -1;
    const port = Number(new URL(started.url).port);
    const tree = await descendants(primary);
    leaveNothingBehind([primary, ...tree]);
    expect(serverProcesses(primary)).toHaveLength(2);

    // Connections opened first, as a client's pool holds them: node:cluster spreads them over both processes.
    const agent = new Agent({ connections: paths.length });
    await Promise.all(
      paths.map(async () => (await request(`${started.url}/health`, { dispatcher: agent })).body.text()),
    );
    const sentAt = performance.now();
    const answers = Promise.all(
      paths.map(async (path) => {
        const res = await request(started.url + path, { dispatcher: agent });
        const body = (await res.body.json()) as Record<string, unknown>;
        return { path, status: res.statusCode, body, answeredAt: performance.now() };
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(target === 'group' ? -primary : primary, signal);
    const signalledAt = performance.now();

    const results = await answers;
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // In flight at the signal, shown rather than assumed from the 300 ms: a request began on the server
    // no later than its answer came back less its work time, and ended no earlier than it was sent plus
    // that work time. Every async request spans the signal; with blocked loops, where each process works
    // through its requests one at a time, at least two (one per process, when spread) had begun.
    const work = (r: (typeof results)[number]) => Number(r.body['durationMs']);
    const begunBefore = results.filter((r) => r.answeredAt - work(r) < signalledAt);
    const endedAfter = results.filter((r) => sentAt + work(r) > signalledAt);
    if (target === 'top') expect([begunBefore.length, endedAfter.length]).toEqual([paths.length, paths.length]);
    else expect(begunBefore.length).toBeGreaterThanOrEqual(2);
    expect(await started.exited).toEqual({ code: 0, signal: null });
    // The signal is counted once, though a group signal reaches the primary and both server processes.
    expect(started.output().match(/received, shutting down/g)).toHaveLength(1);
    expect(started.output()).toMatch(/looplab: stopped, exit 0/);
    expect(started.output()).not.toMatch(/second signal|exiting now|exited unexpectedly/);
    expect(await waitForExit(tree)).toEqual([]);
    expect(await refused(port)).toBe(true);
    if (embedded) expect(await refused(pgPort)).toBe(true);
    await agent.close();
  },
  120_000,
);
