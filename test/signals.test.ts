import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/free-port.ts';
import { descendants, killLeftoversAfterEach, startLooplab, waitForExit } from './helpers/processes.ts';

/**
 * `npm start` stopped the way the world stops it: Ctrl-C in a terminal (SIGINT to the whole process
 * group: npm, which relays it, and the server both get it), systemd's default (SIGTERM to the group)
 * and a container runtime or `kill` (SIGTERM to the top process, npm, which relays it). Under load,
 * blocking and async, every accepted request must get its full answer, and nothing may stay behind.
 */
const SENDERS = [
  ['Ctrl-C in a terminal (SIGINT to the process group)', 'group', 'SIGINT'],
  ['systemd (SIGTERM to the process group)', 'group', 'SIGTERM'],
  ['kill or a container runtime (SIGTERM to the top process only)', 'top', 'SIGTERM'],
] as const;

/** Requests in flight when the signal comes, and what a full answer looks like for each. */
const LOADS = {
  // The event loop is blocked when the signal arrives: it is noticed only between requests.
  blocking: { paths: Array.from({ length: 6 }, () => '/cpu/blocking?task=sum-squares&n=60000000'), key: 'result' },
  async: { paths: Array.from({ length: 40 }, () => '/db/async?sleep=1500'), key: 'rows' },
} as const;

let dataDir = '';
/** Whatever a failed case left running is killed, so that the next case starts clean. */
const leaveNothingBehind = killLeftoversAfterEach();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'looplab-signals-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('npm start, stopped by a real signal under load', () => {
  const cases = SENDERS.flatMap(([label, target, signal]) => (['blocking', 'async'] as const).map((load) => [label, load, target, signal] as const));

  it.each(cases)('%s, with %s requests in flight: every one answered in full, nothing left behind', async (_label, load, target, signal) => {
    const pgPort = await freePort();
    const started = await startLooplab('npm', ['start', '--silent'], {
      PORT: '0',
      UPSTREAM_PORT: '0',
      PG_PORT: String(pgPort),
      PG_DATA_DIR: dataDir,
      DATABASE_URL: '',
      UPSTREAM_URL: '',
      SHUTDOWN_GRACE_MS: '20000',
    });
    const top = started.child.pid ?? -1;
    const serverPort = Number(new URL(started.url).port);
    // Connections opened and used before the load, as a client's pool holds them: their requests are
    // accepted by the server the moment they arrive, even while its event loop is blocked.
    const { paths, key } = LOADS[load];
    const agent = new Agent({ connections: paths.length });
    await Promise.all(paths.map(async () => (await request(`${started.url}/health`, { dispatcher: agent })).body.text()));
    const tree = await descendants(top);
    leaveNothingBehind([top, ...tree]);

    const answers = Promise.all(
      paths.map(async (path) => {
        const res = await request(started.url + path, { dispatcher: agent });
        const body = (await res.body.json()) as Record<string, unknown>;
        return { status: res.statusCode, complete: key in body };
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(target === 'group' ? -top : top, signal);

    const results = await answers;
    expect(results.filter((r) => r.status !== 200 || !r.complete)).toEqual([]);
    // npm re-raises the signal it was stopped by, as shells expect; the server itself exits 0.
    expect([{ code: 0, signal: null }, { code: null, signal }]).toContainEqual(await started.exited);
    expect(started.output()).toMatch(new RegExp(`${signal} received, shutting down`));
    expect(started.output()).toMatch(/looplab: stopped, exit 0/);
    expect(started.output()).not.toMatch(/second signal|exiting now/);
    expect(await waitForExit(tree)).toEqual([]);
    expect(await refused(serverPort)).toBe(true);
    expect(await refused(pgPort)).toBe(true);
    await agent.close();
  }, 90_000);
});
