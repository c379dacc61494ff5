import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { indexProblems } from '../../loadtest/cli/index-check.ts';
import { WORKLOAD_NAMES } from '../../loadtest/types.ts';
import { indexRoute } from '../../server/routes/index-route.ts';

/** The index this version of the server publishes at GET /, from its own route. */
async function serverIndex(): Promise<{ endpoints: Array<{ path: string; params?: Record<string, Record<string, unknown>> }> }> {
  const res = await indexRoute({ dbPool: 10, workers: 2, workerDbPool: 4, uvThreadpoolSize: 4, cpus: 2, node: process.version }).request('/');
  return (await res.json()) as { endpoints: Array<{ path: string; params?: Record<string, Record<string, unknown>> }> };
}

const paramsOf = (index: Awaited<ReturnType<typeof serverIndex>>, path: string) => {
  const params = index.endpoints.find((e) => e.path === path)?.params;
  if (!params) throw new Error(`no ${path} in the index`);
  return params;
};

describe('checking --params against the index a running server publishes', () => {
  it('finds nothing wrong with the defaults on this version of the server', async () => {
    expect(indexProblems(await serverIndex(), structuredClone(DEFAULT_OPTIONS.params), WORKLOAD_NAMES)).toEqual([]);
  });

  it('names each parameter another version would refuse: out of its range, not in its list, or unknown', async () => {
    const index = await serverIndex();
    // As an older server might publish it: a smaller delay range, no `count`, no scrypt.
    Object.assign(paramsOf(index, '/fetch/:mode')['delay'] ?? {}, { max: 10, allowed: 'whole number 0..10 ms' });
    delete paramsOf(index, '/fetch/:mode')['count'];
    Object.assign(paramsOf(index, '/hash/:mode')['algo'] ?? {}, { values: ['pbkdf2', 'sha256'] });
    const params = { ...structuredClone(DEFAULT_OPTIONS.params), hash: { algo: 'scrypt', cost: '16384' } };
    expect(indexProblems(index, params, ['fetch', 'hash'])).toEqual([
      'fetch.delay=50: allowed whole number 0..10 ms',
      'fetch.count: unknown; it takes fetch.delay, fetch.bytes',
      'hash.algo=scrypt: allowed pbkdf2 | sha256',
    ]);
  });

  it('says when a workload is missing, and gives up (null) on something that is not an index', async () => {
    const index = await serverIndex();
    index.endpoints = index.endpoints.filter((e) => e.path !== '/cpu/:mode');
    expect(indexProblems(index, structuredClone(DEFAULT_OPTIONS.params), ['cpu'])).toEqual(['it has no /cpu/:mode endpoint']);
    expect(indexProblems('<html>', structuredClone(DEFAULT_OPTIONS.params), ['cpu'])).toBeNull();
  });
});
