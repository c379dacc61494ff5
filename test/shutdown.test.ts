import { Agent, request } from 'undici';
import { expect, it } from 'vitest';
import { mainUnderTest } from './helpers/main-under-test.ts';

/**
 * SIGTERM under load: every accepted request gets its full answer, then the process exits 0. The
 * fast tier's witness of a graceful stop; the backlog, the closed listener and the counting of
 * repeated signals are e2e-shutdown-signals.test.ts's, and npm start under each real sender is
 * signals.test.ts's.
 */
const { startMain, upstreamCalls, signal } = mainUnderTest();

it('loses no accepted request on SIGTERM: every one gets its full answer, then the process exits 0', async () => {
  const { url, exited } = await startMain({ SHUTDOWN_GRACE_MS: '15000' });
  // Keep-alive connections, as a real client pool would hold them.
  const agent = new Agent({ connections: 50 });
  const paths = [
    ...Array.from({ length: 20 }, () => '/fetch/async?delay=1500'),
    ...Array.from({ length: 5 }, () => '/db/async?sleep=1000'),
    ...Array.from({ length: 4 }, () => '/cpu/worker?n=200000000'),
    '/fetch/blocking?delay=500',
  ];
  // Open and use every connection first: "accepted" means the server accepted the connection. A
  // connection still in the kernel's backlog when the listener closes is reset, and on a loaded
  // machine 300 ms does not guarantee a new connection was accepted.
  await Promise.all(paths.map(async () => (await request(`${url}/health`, { dispatcher: agent })).body.text()));
  const fetchesInFlight = await upstreamCalls(20);
  const answers = Promise.all(
    paths.map(async (path) => {
      const res = await request(url + path, { dispatcher: agent });
      const body = (await res.body.json()) as { workload?: string };
      return { path, status: res.statusCode, workload: body.workload };
    }),
  );
  await fetchesInFlight();
  signal('SIGTERM');

  const results = await answers;
  expect(results.filter((r) => r.status !== 200)).toEqual([]);
  expect(results.every((r) => r.workload && r.path.startsWith(`/${r.workload}/`))).toBe(true);
  expect(await exited).toBe(0);
  await agent.close();
});
