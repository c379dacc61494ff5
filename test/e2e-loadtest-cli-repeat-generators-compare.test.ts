import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Results } from '../loadtest/types.ts';
import { runCli, type CliOutcome } from './loadtest/run-cli.ts';

/**
 * README, Load test: `--repeat N` "reports medians with the range over runs", `--generators N` sends
 * the load from N processes, and `--compare results/<earlier>/results.json` "lists above the table
 * every setting that differs from the earlier run". Two real runs through the CLI: the first with
 * --repeat 2 --generators 2, the second compared with it.
 */
const env = () => ({ ...process.env, DATABASE_URL: inject('databaseUrl'), UPSTREAM_URL: inject('upstreamUrl') });
const tiny = ['--workloads', 'hash', '--modes', 'async', '--params', 'hash.cost=1000', '--connections', '4'];
const timing = ['--duration', '1', '--warmup', '1', '--no-blame'];

let out = '';
let first: CliOutcome;
let second: CliOutcome;
let firstResults: Results;
let secondResults: Results;

async function resultsIn(dir: string): Promise<{ file: string; results: Results }> {
  const [stamp] = await readdir(dir);
  const file = join(dir, stamp ?? '', 'results.json');
  return { file, results: JSON.parse(await readFile(file, 'utf8')) as Results };
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'looplab-cli-runs-'));
  first = await runCli([...tiny, ...timing, '--repeat', '2', '--generators', '2', '--out', join(out, 'first')], {
    timeoutMs: 240_000,
    env: env(),
  });
  expect(first.code, first.stderr).toBe(0);
  const earlier = await resultsIn(join(out, 'first'));
  firstResults = earlier.results;
  second = await runCli([...tiny, ...timing, '--compare', earlier.file, '--out', join(out, 'second')], {
    timeoutMs: 240_000,
    env: env(),
  });
  expect(second.code, second.stderr).toBe(0);
  secondResults = (await resultsIn(join(out, 'second'))).results;
}, 500_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

it('--repeat 2 --generators 2: two runs per scenario, their median and range, from two generator processes', () => {
  expect(firstResults.options).toMatchObject({ repeat: 2, generators: 2 });
  const [scenario] = firstResults.scenarios;
  const runs = scenario?.runs ?? [];
  expect(runs).toHaveLength(2);
  const rps = runs.map((r) => r.rps).sort((a, b) => a - b);
  for (const r of runs) expect(r.ok).toBeGreaterThan(0);
  // The median of two runs is their mean; the range is theirs.
  expect(scenario?.summary.rps).toEqual({ median: ((rps[0] ?? 0) + (rps[1] ?? 0)) / 2, min: rps[0], max: rps[1] });
  expect(scenario?.summary.ok).toBe(runs.reduce((n, r) => n + r.ok, 0));
  // Nothing was lost between the generators and the harness: every answer is in the merged latencies.
  for (const r of runs) expect(r.latency.n).toBe(r.ok);
  expect(first.stdout).toMatch(/hash/);
});

it('--compare: names above the table each setting that differs from the earlier run, and only those', () => {
  expect(secondResults.options).toMatchObject({ repeat: 1, generators: 1 });
  expect(second.stdout).toContain('Compared with a run made differently:');
  expect(second.stdout).toMatch(/^ {2}repeats: 2 → 1$/m);
  expect(second.stdout).toMatch(/^ {2}load generators: 2 → 1$/m);
  // Settings that did not change are not listed.
  expect(second.stdout).not.toMatch(/^ {2}duration:/m);
  expect(second.stdout).not.toMatch(/^ {2}parameters:/m);
});
