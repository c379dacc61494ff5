import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadWorkloads } from '../server/workloads/load.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * README, Bring your own workload: "The examples/ are workloads of this kind" — files a user could have
 * written. Each is loaded as WORKLOADS loads it, listed in the index with the modes its forms allow, and
 * answers in each of them with the same result (timings aside), the worker thread loading it too.
 */
const EXAMPLES = [
  { file: 'examples/zlib/gzip.ts', name: 'gzip', modes: ['blocking', 'async', 'worker'], query: 'kb=16&level=1' },
  { file: 'examples/json/json.ts', name: 'json', modes: ['blocking', 'worker'], query: 'items=100' },
  { file: 'examples/regex/redos.ts', name: 'redos', modes: ['blocking', 'worker'], query: 'pattern=nested&n=10' },
];

/** Fields that measure time, not the work: they differ between any two answers. */
const TIMINGS = new Set(['durationMs', 'matchMs', 'mode']);
const withoutTimings = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([key]) => !TIMINGS.has(key) && !key.endsWith('Ms')));

let app: TestApp;
beforeAll(async () => {
  const registry = await loadWorkloads(EXAMPLES.map((e) => resolve(e.file)));
  app = await startTestApp({ workloads: registry, requestTimeoutMs: 30_000 });
});
afterAll(async () => {
  await app?.close();
});

it('lists each example in the index with exactly the modes its forms allow', async () => {
  const index = JSON.stringify(await (await app.get('/')).json());
  for (const { name, modes } of EXAMPLES) {
    expect(index).toContain(`/${name}/:mode`);
    for (const mode of ['blocking', 'async', 'worker'])
      expect((await app.get(`/${name}/${mode}?${EXAMPLES.find((e) => e.name === name)?.query}`)).status).toBe(
        modes.includes(mode) ? 200 : 404,
      );
  }
});

it.each(EXAMPLES)('runs $name in each of its modes with the same result', async ({ name, modes, query }) => {
  const bodies: Record<string, unknown>[] = [];
  for (const mode of modes) {
    const res = await app.get(`/${name}/${mode}?${query}`);
    expect(res.status, `${name}/${mode}`).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ workload: name, mode });
    bodies.push(withoutTimings(body));
  }
  for (const body of bodies.slice(1)) expect(body).toEqual(bodies[0]);
  // Its bound model is served too, for the harness.
  expect((await app.get(`/${name}/bound?${query}`)).status).toBe(200);
});
