import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import type { Results } from '../../loadtest/types.ts';
import { runCli, type CliOutcome } from './run-cli.ts';

const WORKLOAD_FILE = 'server/workloads/hash-digests.ts';

async function lineOf(name: string): Promise<number> {
  const lines = (await readFile(WORKLOAD_FILE, 'utf8')).split('\n');
  return lines.findIndex((l) => new RegExp(`function ${name}\\(`).test(l)) + 1;
}

/** `npm run loadtest --processes 2`: CLUSTER=2 with blame on, a blocking CPU workload on both processes. */
describe('stall blame of a cluster in npm run loadtest', () => {
  let out: string;
  let cli: CliOutcome;
  let results: Results;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'looplab-cluster-blame-'));
    cli = await runCli(
      [
        '--workloads',
        'hash',
        '--modes',
        'blocking',
        '--processes',
        '2',
        '--connections',
        '8',
        '--duration',
        '3',
        '--warmup',
        '1',
        '--params',
        'hash.cost=100000',
        '--out',
        out,
      ],
      { timeoutMs: 200_000 },
    );
    const [dir] = await readdir(out);
    results = JSON.parse(await readFile(join(out, dir ?? '', 'results.json'), 'utf8')) as Results;
  }, 240_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('blames the workload function at its line in both processes, and the merge is their sum', async () => {
    expect(cli.code, cli.stderr).toBe(EXIT.ok);
    const blame = results.scenarios[0]?.runs[0]?.blame;
    expect(blame?.error, JSON.stringify(blame)).toBeNull();
    expect(blame?.url).toMatch(/\/processes$/);
    const processes = blame?.processes ?? [];
    expect(processes.map((p) => p.pid)).toHaveLength(2);
    expect(new Set(processes.map((p) => p.url)).size).toBe(2);
    const line = await lineOf('pbkdf2Digest');
    for (const p of processes) {
      expect(p.stalls, `pid ${p.pid}`).toBeGreaterThan(0);
      expect(p.culprits[0], JSON.stringify(p.culprits)).toMatchObject({
        frame: 'pbkdf2Digest',
        file: WORKLOAD_FILE,
        line,
      });
    }
    const sum = (pick: (p: (typeof processes)[number]) => number) => processes.reduce((t, p) => t + pick(p), 0);
    expect(blame!.stalls).toBe(sum((p) => p.stalls));
    expect(blame!.stallMs).toBeCloseTo(
      sum((p) => p.stallMs),
      6,
    );
    expect(blame!.windowMs).toBeCloseTo(
      sum((p) => p.windowMs),
      6,
    );
    const top = blame!.culprits[0]!;
    expect(top).toMatchObject({ frame: 'pbkdf2Digest', file: WORKLOAD_FILE, line });
    const perProcess = processes.map((p) =>
      p.culprits
        .filter((c) => c.frame === top.frame && c.file === top.file && c.line === top.line)
        .reduce((t, c) => t + c.ms, 0),
    );
    expect(top.ms).toBeCloseTo(
      perProcess.reduce((a, b) => a + b, 0),
      1,
    );
    expect(top.byProcess?.map((b) => b.pid).sort()).toEqual(processes.map((p) => p.pid).sort());
    expect(cli.stdout).toMatch(/stall blame, blocking, 2 processes merged: /);
    for (const p of processes) expect(cli.stdout).toContain(`pid ${p.pid}: the loop stalled`);
    expect(cli.stdout).toMatch(/event loop per process, blocking: pid \d+ busy/);
  });
});
