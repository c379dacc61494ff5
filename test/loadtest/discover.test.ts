import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { planScenarios } from '../../loadtest/matrix.ts';
import { discover, ServerRefusesParamsError } from '../../loadtest/stack/discover.ts';
import type { HarnessOptions } from '../../loadtest/types.ts';
import { loadWorkloads } from '../../server/workloads/load.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

/** A workload of the user's with only a synchronous form, so it has no async mode. */
const MINE = `export default {
  name: 'mine',
  summary: 'a loop of my own',
  params: { n: { kind: 'int', min: 1, max: 1000, default: 10 } },
  blocking: ({ n }) => ({ n }),
  loadtest: { params: { n: 200 } },
  bound: { kind: 'cpu' },
};
`;

let dir = '';
let file = '';
let app: TestApp;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-discover-'));
  file = join(dir, 'mine.mjs');
  await writeFile(file, MINE);
  app = await startTestApp({ workloads: await loadWorkloads([file]) });
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const options = (over: Partial<HarnessOptions> = {}): HarnessOptions => ({
  ...structuredClone(DEFAULT_OPTIONS),
  ...over,
});

describe('the harness learns the workloads of a run from the server (GET /, GET /<name>/bound)', () => {
  it('by default runs the built-ins in every mode, with the parameters each declares for load tests', async () => {
    const found = await discover(app.url, options());
    expect(found.workloads).toEqual(['db', 'fetch', 'hash', 'cpu']);
    expect(found.modes).toEqual(['blocking', 'async', 'worker']);
    // The same defaults the harness used to hold itself.
    expect(found.params).toEqual({
      db: { queries: '1', sleep: '20' },
      fetch: { delay: '50', bytes: '1024', count: '1' },
      hash: { algo: 'pbkdf2', cost: '100000' },
      cpu: { task: 'sum-squares', n: '20000000' },
    });
    expect(found.discovered?.['db']).toMatchObject({
      source: 'built-in',
      bound: { kind: 'wait' },
      faultDrill: { dependency: 'database', path: '/db/async?queries=1&sleep=5' },
    });
    expect(found.discovered?.['hash']?.bound).toEqual({
      kind: 'cpu',
      modes: { blocking: { threads: 'loop' }, async: { threads: 'libuv' }, worker: { threads: 'workers' } },
    });
    expect(planScenarios(found)).toHaveLength(12);
  });

  it('with --workload-file files runs their workloads, only in the modes they have, beside a built-in when named', async () => {
    const own = await discover(app.url, options({ workloadFiles: [file] }));
    expect(own.workloads).toEqual(['mine']);
    expect(own.params).toEqual({ mine: { n: '200' } });
    expect(planScenarios(own).map((s) => s.path)).toEqual(['/mine/blocking?n=200', '/mine/worker?n=200']);
    const beside = await discover(
      app.url,
      options({
        workloadFiles: [file],
        workloads: ['mine', 'hash'],
        modes: ['async', 'worker'],
        params: { mine: { n: '5' } },
      }),
    );
    expect(planScenarios(beside).map((s) => s.path)).toEqual([
      '/mine/worker?n=5',
      '/hash/async?algo=pbkdf2&cost=100000',
      '/hash/worker?algo=pbkdf2&cost=100000',
    ]);
  });

  it.each([
    [{ workloads: ['redis'] }, '--workloads: unknown workload "redis"; the server has: db, fetch, hash, cpu, mine'],
    [{ modes: ['threads'] }, '--modes: unknown mode "threads"; the server has: blocking, async, worker'],
    [{ params: { redis: { x: '1' } } }, '--params: unknown workload "redis"; the run has: db, fetch, hash, cpu'],
    [
      { params: { fetch: { url: 'http://x' } } },
      '--params: fetch: unknown parameter "url"; known parameters: fetch.delay, fetch.bytes, fetch.count',
    ],
    [
      { params: { db: { queries: '100', sleep: '400' } } },
      '--params: db.queries=100,db.sleep=400: the server would refuse it — queries × sleep must not exceed 30000 ms; ' +
        'sleep allowed: whole number 0..300 ms for queries=100',
    ],
    [
      { params: { fetch: { delay: '20000' } } },
      '--params: fetch.delay=20000,fetch.bytes=1024,fetch.count=1: the server would refuse it — "delay" is out of ' +
        'range; delay allowed: whole number 0..10000 ms',
    ],
    [
      { params: { fetch: { delay: '1e3' } } },
      '"delay" must be plain decimal digits; delay allowed: whole number 0..10000 ms',
    ],
    [
      { params: { fetch: { count: '100', delay: '1000' } } },
      'count × delay must not exceed 30000 ms; count allowed: whole number 1..30 for delay=1000',
    ],
    [
      { params: { hash: { algo: 'scrypt', cost: '1000' } } },
      '"cost" is out of range for algo scrypt; cost allowed: power of two 1024..131072',
    ],
    [
      { params: { hash: { algo: 'md5' } } },
      '"algo" must be one of the listed values; algo allowed: pbkdf2 | scrypt | sha256',
    ],
    [
      { params: { cpu: { task: 'primes', n: '30000000' } } },
      '"n" is out of range for task primes; n allowed: whole number 0..20000000',
    ],
    [
      { workloads: ['mine'], params: { mine: { n: '0' } } },
      '--params: mine.n=0: the server would refuse it — "n" is out of range; n allowed: whole number 1..1000',
    ],
  ])('refuses %j before any load, in words the server gave', async (over, message) => {
    const refused = discover(app.url, options(over));
    await expect(refused).rejects.toThrow(ServerRefusesParamsError);
    await expect(refused).rejects.toThrow(message);
  });

  it('accepts parameters at the edges of their ranges', async () => {
    const found = await discover(
      app.url,
      options({
        params: {
          db: { queries: '100', sleep: '300' },
          hash: { algo: 'scrypt', cost: '1024' },
          cpu: { task: 'primes', n: '20000000' },
        },
      }),
    );
    expect(found.params['db']).toEqual({ queries: '100', sleep: '300' });
    expect(found.params['hash']).toEqual({ algo: 'scrypt', cost: '1024' });
  });
});
