import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IndexAnswer, IndexWorkload } from '../contract/index-answer.ts';
import type { ServerFacts } from '../contract/server-facts.ts';
import { indexRoute } from '../server/routes/index-route.ts';
import { BUILT_IN_REGISTRY } from '../server/workloads/registry.ts';

/**
 * docs/reference/endpoints.md keeps, for readers, a table of what the server's index (`GET /`) says: every
 * path, and each built-in workload's parameters with their default and range. The index is built from the
 * workload files; this walks it, as the real route answers it, against the page, so a parameter added,
 * renamed or given another default or limit in its workload file fails here until the page says so too.
 */
const FACTS: ServerFacts = { dbPool: 10, workers: 2, workerDbPool: 4, uvThreadpoolSize: 4, cpus: 2, node: 'v24' };
const index = (await (await indexRoute(FACTS, BUILT_IN_REGISTRY, true).request('/')).json()) as IndexAnswer;
const page = readFileSync('docs/reference/endpoints.md', 'utf8');

/** The table row of `GET path`, or undefined when the page has none. */
const rowOf = (path: string) => page.split('\n').find((line) => line.startsWith(`| \`GET ${path}\``));

const workloads = index.endpoints.filter((e): e is IndexWorkload => 'params' in e);

describe('the endpoints reference, against the index', () => {
  it.each(index.endpoints.map((e) => [e.path]))('has a row for GET %s', (path) => {
    expect(rowOf(path)).toBeDefined();
  });

  it.each(workloads.flatMap((w) => Object.entries(w.params).map(([name, p]) => [w.path, name, p] as const)))(
    '%s: `%s` is in the row with its default and limit (or its values)',
    (path, name, param) => {
      const row = rowOf(path) ?? '';
      expect(row).toContain(`\`${name}\``);
      const figures =
        param.type === 'enum'
          ? param.values.map((v) => `\`${v}\``)
          : [param.default, param.max, ...Object.values(param.defaultBy?.values ?? {})].map(String);
      // Written as a reader reads it: plain digits, without the thousands separators the code uses.
      for (const figure of figures) expect(row).toMatch(new RegExp(`(^|[^0-9])${figure}([^0-9]|$)`));
    },
  );

  it('reads the built-in workloads, each with parameters', () => {
    expect(workloads.map((w) => w.path)).toEqual(
      expect.arrayContaining(['/cpu/:mode', '/db/:mode', '/fetch/:mode', '/hash/:mode']),
    );
  });
});
