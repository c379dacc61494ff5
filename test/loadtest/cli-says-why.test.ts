import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import type { Results } from '../../loadtest/types.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { runCli } from './run-cli.ts';

/**
 * The CLI says why, at once, instead of waiting a minute: a server that will never be ready, and a
 * server on a port that WHATWG fetch refuses to reach. The hang guards are only there so a broken
 * guarantee fails instead of hanging; each is well under the minute the old wait took, which is what
 * made these red.
 */
const GUARD_MS = 45_000;

/** Ports the Fetch standard's "bad port" list blocks, which a server may still listen on. */
const FETCH_BLOCKED_PORTS = [6665, 6666, 6667, 6668, 6669, 6000, 5060, 10080, 6697, 6679, 4190];

/** The first port of the list nothing listens on here. */
async function freeBlockedPort(): Promise<number> {
  for (const port of FETCH_BLOCKED_PORTS) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createTcpServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`every port of ${FETCH_BLOCKED_PORTS.join(', ')} is taken here`);
}

/** Loads in the main thread, throws in every worker thread: the server starts, its workers never can. */
const MAIN_THREAD_ONLY = `
import { isMainThread } from 'node:worker_threads';
if (!isMainThread) throw new Error('needs the main thread: its native handle is opened once');
export default { name: 'main-only', summary: 's', params: {}, blocking: () => ({}) };
`;

let out = '';
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'looplab-says-why-'));
  await writeFile(join(out, 'main-only.ts'), MAIN_THREAD_ONLY);
});
afterAll(() => rm(out, { recursive: true, force: true }));

it("prints the server's own reason and stops when the server it started will never be ready", async () => {
  const { code, stderr } = await runCli(
    ['--workload-file', join(out, 'main-only.ts'), '--workloads', 'main-only', '--duration', '1', '--warmup', '0'],
    { timeoutMs: GUARD_MS },
  );
  expect(code).not.toBe(EXIT.ok);
  expect(code).toBeGreaterThan(0); // an exit of its own, not the guard's kill
  // The server's line, with the file and the thread's own error…
  expect(stderr).toMatch(
    /looplab: the worker threads cannot load a workload file, so worker mode and \/ready stay unavailable: WORKLOADS: .*main-only\.ts: failed to load: needs the main thread/,
  );
  // …and the harness's sentence pointing at it, not a minute's wait ending in "workers: unavailable".
  expect(stderr).toContain('will not become ready: its worker threads cannot load a workload file');
  expect(stderr).not.toContain('was not ready within');
}, 60_000);

describe('a server on a port WHATWG fetch refuses', () => {
  let app: TestApp;
  let plain: Server;
  let plainOrigin = '';
  beforeAll(async () => {
    app = await startTestApp({ port: await freeBlockedPort() });
    plain = createServer((_req, res) => res.end('ok'));
    const port = await freeBlockedPort();
    await new Promise<void>((resolve) => plain.listen(port, '127.0.0.1', resolve));
    plainOrigin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => plain?.close(resolve));
  });

  it('--url: is waited for, discovered and loaded like any other', async () => {
    const { code, stdout, stderr } = await runCli(
      ['--url', app.url, '--workloads', 'fetch', '--modes', 'async', '--duration', '1', '--warmup', '0'].concat([
        '--out',
        out,
        '--json',
      ]),
      { timeoutMs: GUARD_MS },
    );
    expect(stderr).not.toContain('fetch failed');
    expect(code).toBe(EXIT.ok);
    const results = JSON.parse(stdout) as Results;
    expect(results.scenarios).toHaveLength(1);
    expect(results.scenarios[0]?.runs[0]?.okInWindow).toBeGreaterThan(0);
  }, 60_000);

  it('--target with --probe: is checked, loaded and probed like any other', async () => {
    const before = new Set(await readdir(out));
    const { code, stdout, stderr } = await runCli(
      ['--target', `${plainOrigin}/work`, '--probe', '/healthz', '--duration', '2', '--warmup', '0'].concat([
        '--out',
        out,
        '--json',
      ]),
      { timeoutMs: GUARD_MS },
    );
    expect(stderr).not.toContain('fetch failed');
    expect(code).toBe(EXIT.ok);
    expect((await readdir(out)).some((d) => !before.has(d))).toBe(true);
    const results = JSON.parse(stdout) as Results;
    expect(results.scenarios[0]?.runs[0]?.okInWindow).toBeGreaterThan(0);
    expect(results.scenarios[0]?.runs[0]?.health.samples).toBeGreaterThan(0);
  }, 60_000);
});
