import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import type { BenchResults } from '../bench/report.ts';

const run = promisify(execFile);

// Shape only: the bench is a benchmark, and its speed is never asserted here.
it.each([
  ['one set of servers through the run', false],
  ['fresh servers each round (--fresh-servers)', true],
])(
  'runs end to end with tiny settings, %s, and writes well-formed JSON and Markdown',
  async (_, fresh) => {
    const out = await mkdtemp(join(tmpdir(), 'looplab-bench-'));
    try {
      const args = [
        '--rounds',
        '2',
        '--duration',
        '1',
        '--warmup',
        '3',
        '--connections',
        '4',
        '--offload-tasks',
        '20',
        '--out',
        out,
        '--data-dir',
        resolve('.looplab/pg-bench-test'),
        ...(fresh ? ['--fresh-servers'] : []),
      ];
      await run(process.execPath, [...typeScriptLoaderArgs(), 'bench/main.ts', ...args], { timeout: 150_000 });
      const [dir] = await readdir(out);
      expect(dir).toMatch(/^bench-/);
      const results = JSON.parse(await readFile(join(out, dir as string, 'bench.json'), 'utf8')) as BenchResults;
      expect(results.rounds.comparisons.map((c) => [c.subject, c.reference])).toEqual([
        ['looplab-health', 'hono-health'],
        ['looplab-db', 'hono-db'],
        ['hono-health', 'raw-health'],
        ['looplab-db', 'looplab-again-db'],
      ]);
      for (const c of results.rounds.comparisons) {
        expect(c.ratios).toHaveLength(2);
        expect(c.ratio.median).toBeGreaterThan(0);
      }
      // With --fresh-servers each round measures new processes; otherwise the same ones throughout.
      for (const key of ['looplab-db', 'looplab-again-db', 'hono-db', 'raw-health']) {
        const pids = results.rounds.runs[key]?.map((r) => r.serverPid);
        expect(pids).toHaveLength(2);
        expect(new Set(pids).size).toBe(fresh ? 2 : 1);
      }
      // The warm-up is measured piece by piece (2 s, then 1 s), once per server process, for every target.
      for (const key of ['looplab-db', 'raw-health']) {
        const warm = results.rounds.warmup[key];
        expect(warm).toHaveLength(fresh ? 2 : 1);
        for (const pieces of warm ?? []) {
          expect(pieces).toHaveLength(2);
          for (const us of pieces) expect(us).toBeGreaterThan(0);
        }
      }
      // The A/A row compares two processes, not one with itself.
      const again = results.rounds.runs['looplab-again-db']?.map((r) => r.serverPid);
      expect(results.rounds.runs['looplab-db']?.map((r) => r.serverPid).some((pid, i) => pid === again?.[i])).toBe(
        false,
      );
      for (const runs of Object.values(results.rounds.runs)) expect(runs[0]?.failures).toBe(0);
      expect(results.environment.loadAverageAtStart).toHaveLength(3);
      expect(results.offload?.workerPool.workerRoundTripUs).toBeGreaterThan(0);
      expect(results.offload?.syncBridge.synckitQueryUs).toBeGreaterThan(0);
      const markdown = await readFile(join(out, dir as string, 'bench.md'), 'utf8');
      expect(markdown).toMatch(
        /\| `\/db\/async\?queries=1`: looplab ÷ bare Hono \+ postgres\.js \| \*\*\d+\.\d\d×\*\* \|/,
      );
      expect(markdown).toContain('worker-pool overhead per task');
      expect(markdown).toContain('| server | path | warm-up 1 | warm-up 2 | measured |');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  },
  180_000,
);
