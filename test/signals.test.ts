import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/free-port.ts';
import { descendants, killLeftoversAfterEach, refused, startLooplab, waitForExit } from './helpers/processes.ts';
import { waitFor } from './helpers/wait-for.ts';

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
  // The event loop is blocked when the signal arrives: it is noticed only between requests. The signal
  // is sent when the first answer arrives, with the rest of the load written and still to be served.
  blocking: { paths: Array.from({ length: 6 }, () => '/cpu/blocking?task=sum-squares&n=60000000'), key: 'result' },
  async: { paths: Array.from({ length: 40 }, () => '/db/async?sleep=1500'), key: 'rows' },
} as const;

/**
 * Waits until the server's own /metrics count `count` DB queries in flight (running or waiting for a
 * connection): every async request has been read and is at the database. Asked on a connection of its
 * own, closed after each answer, so the load's connections and the shutdown are untouched.
 */
async function dbQueriesReach(url: string, count: number): Promise<void> {
  await waitFor(
    `${count} DB queries in flight`,
    async () => {
      const text = await (await request(`${url}/metrics`, { reset: true })).body.text();
      const sample = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      return sample('looplab_db_pool_in_use') + sample('looplab_db_queries_waiting') >= count ? true : undefined;
    },
    10_000,
    20,
  );
}

let dataDir = '';
/** Whatever a failed case left running is killed, so that the next case starts clean. */
const leaveNothingBehind = killLeftoversAfterEach();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'looplab-signals-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('npm start, stopped by a real signal under load', () => {
  const cases = SENDERS.flatMap(([label, target, signal]) =>
    (['blocking', 'async'] as const).map((load) => [label, load, target, signal] as const),
  );

  it.each(cases)(
    '%s, with %s requests in flight: every one answered in full, nothing left behind',
    async (_label, load, target, signal) => {
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
      await Promise.all(
        paths.map(async () => (await request(`${started.url}/health`, { dispatcher: agent })).body.text()),
      );
      const tree = await descendants(top);
      leaveNothingBehind([top, ...tree]);

      const each = paths.map(async (path) => {
        const res = await request(started.url + path, { dispatcher: agent });
        const body = (await res.body.json()) as Record<string, unknown>;
        return { status: res.statusCode, complete: key in body };
      });
      // The signal comes once the server holds the load, known by an event rather than a guessed sleep.
      await (load === 'blocking' ? Promise.race(each) : dbQueriesReach(started.url, paths.length));
      process.kill(target === 'group' ? -top : top, signal);

      const results = await Promise.all(each);
      expect(results.filter((r) => r.status !== 200 || !r.complete)).toEqual([]);
      // npm re-raises the signal it was stopped by, as shells expect; the server itself exits 0.
      expect([
        { code: 0, signal: null },
        { code: null, signal },
      ]).toContainEqual(await started.exited);
      expect(started.output()).toMatch(new RegExp(`${signal} received, shutting down`));
      expect(started.output()).toMatch(/looplab: stopped, exit 0/);
      expect(started.output()).not.toMatch(/second signal|exiting now/);
      expect(await waitForExit(tree)).toEqual([]);
      expect(await refused(serverPort)).toBe(true);
      expect(await refused(pgPort)).toBe(true);
      await agent.close();
    },
    90_000,
  );
});
