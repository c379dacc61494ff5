import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import { markdownFiles } from '../helpers/markdown-docs.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { runCli } from './run-cli.ts';

/**
 * What counts as a results.json field path in the docs (the README, CONTRIBUTING, docs/ and the examples): a code span like `scenarios[].runs[].server.rssEndMb`
 * — dotted names, `[]` after an array — that either contains `[]` or starts with a top-level key of
 * results.json. (`crypto.scrypt` or `report.md` start with no such key and are left alone; a path that
 * starts mid-way, like `runs[].server`, is caught by its `[]`.)
 */
function fieldPaths(markdown: string, topLevelKeys: readonly string[]): string[] {
  const spans = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] ?? '');
  const shaped = spans.filter((s) => /^[A-Za-z_]\w*(\[\])?(\.[A-Za-z_]\w*(\[\])?)*$/.test(s));
  return [
    ...new Set(
      shaped.filter((s) => s.includes('[]') || (s.includes('.') && topLevelKeys.includes(s.split('.')[0] ?? ''))),
    ),
  ];
}

/** Whether a path exists in `value`: every named key present, every `[]` a non-empty array whose items have the rest. */
function resolves(value: unknown, segments: readonly string[]): boolean {
  const [head, ...rest] = segments;
  if (head === undefined) return value !== undefined;
  const isArray = head.endsWith('[]');
  const key = isArray ? head.slice(0, -2) : head;
  if (typeof value !== 'object' || value === null || !(key in value)) return false;
  const child = (value as Record<string, unknown>)[key];
  if (!isArray) return resolves(child, rest);
  return Array.isArray(child) && child.length > 0 && child.some((item) => resolves(item, rest));
}

describe('the docs name only results.json fields that exist', () => {
  let app: TestApp;
  let out: string;
  let results: Record<string, unknown>;
  beforeAll(async () => {
    app = await startTestApp();
    out = await mkdtemp(join(tmpdir(), 'looplab-docs-'));
    const run = await runCli([
      '--url',
      app.url,
      '--duration',
      '1',
      '--warmup',
      '0',
      '--workloads',
      'fetch',
      '--modes',
      'async',
      '--out',
      out,
    ]);
    expect(run.code).toBe(EXIT.ok);
    const [dir] = await readdir(out);
    results = JSON.parse(await readFile(join(out, dir ?? '', 'results.json'), 'utf8')) as Record<string, unknown>;
  }, 90_000);
  afterAll(async () => {
    await app.close();
    await rm(out, { recursive: true, force: true });
  });

  it('finds each field path of every page in a real results.json', async () => {
    const pages = await Promise.all(
      markdownFiles().map(async (file) => ({ file, text: await readFile(file, 'utf8') })),
    );
    const paths = pages.flatMap(({ file, text }) =>
      fieldPaths(text, Object.keys(results)).map((path) => ({ file, path })),
    );
    expect(paths.some(({ file }) => file === 'docs/reference/results-json.md')).toBe(true);
    const missing = paths
      .filter(({ path }) => !resolves(results, path.split('.')))
      .map(({ file, path }) => `${file}: ${path}`);
    expect(missing).toEqual([]);
  });

  it('would catch a path that starts mid-way or names a field that does not exist', () => {
    const text = 'see `runs[].server.rssStartMb`, `scenarios[].summary.nope`, `environment.node` and `report.md`';
    const paths = fieldPaths(text, Object.keys(results));
    expect(paths).toEqual(['runs[].server.rssStartMb', 'scenarios[].summary.nope', 'environment.node']);
    expect(paths.map((p) => resolves(results, p.split('.')))).toEqual([false, false, true]);
  });
});
