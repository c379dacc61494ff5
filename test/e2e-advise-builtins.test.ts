import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import type { Advice } from '../loadtest/advise/advice.ts';

/**
 * `looplab advise` on the built-ins gives the answers the seeds predict, on a 2-core machine. Each run
 * is the real command with the shortest experiment it allows (3 s measured, 5 repeats, a budget that
 * cuts the largest pools): minutes each. Heavy and timing-bound: other load on the machine can move a
 * close call, which the rules then report as within noise (the simpler candidate), never as a flip.
 */
let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'looplab-advise-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

function advise(args: readonly string[]): Promise<{ code: number; advice: Advice | undefined; stderr: string }> {
  const databaseUrl = inject('databaseUrl');
  const upstreamUrl = inject('upstreamUrl');
  const deps = databaseUrl && upstreamUrl ? { DATABASE_URL: databaseUrl, UPSTREAM_URL: upstreamUrl } : {};
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...typeScriptLoaderArgs(), 'loadtest/advise/cli.ts', '--json', '--out', out, ...args],
      { timeout: 900_000, env: { ...process.env, ...deps }, maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        let advice: Advice | undefined;
        try {
          advice = (JSON.parse(stdout) as { advice?: Advice }).advice;
        } catch {}
        resolve({ code, advice, stderr });
      },
    );
  });
}

const SHORT = ['--modes', 'async,worker', '--duration', '3', '--warmup', '1', '--budget', '240'];
const TIMEOUT = 900_000;

describe('looplab advise on the built-ins (2 cores)', () => {
  it(
    'advises worker mode with a pool of 2 for cpu',
    async () => {
      const { code, advice, stderr } = await advise(['--workloads', 'cpu', ...SHORT]);
      expect(code, stderr).toBe(0);
      expect(advice?.recommended).toEqual({ mode: 'worker', workers: 2 });
      expect(['beaten', 'screened-out']).toContain(advice?.table.find((r) => r.label === 'async')?.standing.kind);
    },
    TIMEOUT,
  );

  it(
    'advises async for fetch, whose work is waiting',
    async () => {
      const { code, advice, stderr } = await advise(['--workloads', 'fetch', ...SHORT]);
      expect(code, stderr).toBe(0);
      expect(advice?.recommended).toEqual({ mode: 'async' });
    },
    TIMEOUT,
  );

  it(
    'says offloading costs more than it saves for cpu with a tiny n, with the hop in µs beside the work',
    async () => {
      const { code, advice, stderr } = await advise(['--workloads', 'cpu', '--params', 'cpu.n=1000', ...SHORT]);
      expect(code, stderr).toBe(0);
      expect(advice?.offload?.costsMoreThanItSaves).toBe(true);
      expect(advice?.offload?.hopUs).toBeGreaterThanOrEqual(advice?.offload?.workUs ?? Number.POSITIVE_INFINITY);
      expect(advice?.paragraph).toMatch(/Offloading costs more than it saves here: the hop takes \d+ µs/);
    },
    TIMEOUT,
  );
});
