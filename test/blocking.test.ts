import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cpuTimeMs, databaseObserver } from './helpers/observe.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { proxiedUpstream, type TcpProxy } from './helpers/tcp-proxy.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * The server runs in a process of its own, as users run it, so this test's clock and sockets keep
 * going while the server's event loop is blocked: it can watch a second caller wait.
 */
let server: ServerProcess;
let upstream: { proxy: TcpProxy; url: string };
let db: ReturnType<typeof databaseObserver>;
beforeAll(async () => {
  upstream = await proxiedUpstream(inject('upstreamUrl'));
  db = databaseObserver(inject('databaseUrl'));
  server = await startServerProcess({ UPSTREAM_URL: upstream.url, WORKERS: '2' });
});
afterAll(async () => {
  server?.kill();
  await server?.exited;
  await db?.close();
  await upstream?.proxy.close();
});

/** CPU time an idle server does not spend: once it has, it is surely running the CPU work. */
const BUSY_CPU_MS = 100;

/** Per workload: work that keeps its mode busy for the longest the limits allow, and how to see it has begun. */
const LONG_WORK: Record<string, { path: string; begun: (cpuAtStart: number) => Promise<boolean> }> = {
  cpu: {
    path: 'cpu/MODE?task=sum-squares&n=500000000',
    begun: async (cpuAtStart) => cpuTimeMs(server.pid) - cpuAtStart >= BUSY_CPU_MS,
  },
  hash: {
    path: 'hash/MODE?algo=pbkdf2&cost=4000000',
    begun: async (cpuAtStart) => cpuTimeMs(server.pid) - cpuAtStart >= BUSY_CPU_MS,
  },
  db: { path: 'db/MODE?queries=1&sleep=1500', begun: async () => (await db.sleepingQueries()) > 0 },
  fetch: { path: 'fetch/MODE?delay=1500&count=1', begun: async () => (await upstream.proxy.stats()).awaiting > 0 },
};

/**
 * Sends the long request, waits until the server is seen doing it (CPU spent, query running, upstream
 * call open), then asks /health. Returns, on the test's clock, when the work request was sent, when
 * /health was answered, and the server's own account of how long the work took.
 */
async function healthDuringWork(
  workload: string,
  mode: string,
): Promise<{ sent: number; healthAnswered: number; workMs: number }> {
  const work = LONG_WORK[workload];
  if (!work) throw new Error(`no long work for ${workload}`);
  const cpuAtStart = cpuTimeMs(server.pid);
  const sent = performance.now();
  const answer = fetch(`${server.url}/${work.path.replace('MODE', mode)}`).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as { durationMs: number },
  }));
  await waitFor(
    `${workload}/${mode} to begin`,
    async () => ((await work.begun(cpuAtStart)) ? true : undefined),
    20_000,
    10,
  );
  // A second caller, on whatever connection the pool has: an idle keep-alive one whose request lands
  // while the loop is blocked past the server's keep-alive timeout is answered, not reset
  // (server/http/keep-alive.ts; test/keepalive-blocked.test.ts).
  const health = await fetch(`${server.url}/health`);
  const healthAnswered = performance.now();
  await health.text();
  expect(health.status).toBe(200);
  const { status, body } = await answer;
  expect(status).toBe(200);
  return { sent, healthAnswered, workMs: body.durationMs };
}

describe.each(Object.keys(LONG_WORK))('%s', (workload) => {
  // The work began on the server no earlier than `sent` and lasted `workMs`, so it cannot have ended
  // before sent + workMs: /health answered after that waited for it, answered before it did not.
  it('blocking mode makes a second caller wait until the work is done', async () => {
    const { sent, healthAnswered, workMs } = await healthDuringWork(workload, 'blocking');
    expect(healthAnswered).toBeGreaterThanOrEqual(sent + workMs);
  });

  it.each(['async', 'worker'])('%s mode answers a second caller while the work runs', async (mode) => {
    const { sent, healthAnswered, workMs } = await healthDuringWork(workload, mode);
    expect(healthAnswered).toBeLessThan(sent + workMs);
  });
});
