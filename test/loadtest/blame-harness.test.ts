import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import type { Results } from '../../loadtest/types.ts';
import { runCli, type CliOutcome } from './run-cli.ts';

const WORKLOAD_FILE = 'server/workloads/hash-digests.ts';

/** The 1-based line where `name` is defined in the hash workload: whatever that file looks like today. */
async function lineOf(name: string): Promise<number> {
  const lines = (await readFile(WORKLOAD_FILE, 'utf8')).split('\n');
  const index = lines.findIndex((l) => new RegExp(`function ${name}\\(`).test(l));
  expect(index, `function ${name} in ${WORKLOAD_FILE}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/**
 * `npm run loadtest` with stall blame on (the default): the harness starts the real server with
 * STALL_THRESHOLD_MS, reads the blame for each measured window, and must name the function that blocks.
 */
describe('stall blame in npm run loadtest', () => {
  let out: string;
  let cli: CliOutcome;
  let results: Results;
  let html: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'looplab-blame-harness-'));
    cli = await runCli(
      [
        '--workloads',
        'hash',
        '--modes',
        'blocking,async',
        '--connections',
        '4',
        '--duration',
        '2',
        '--warmup',
        '1',
        '--params',
        'hash.cost=100000',
        '--out',
        out,
      ],
      { timeoutMs: 150_000 },
    );
    const [dir] = await readdir(out);
    results = JSON.parse(await readFile(join(out, dir ?? '', 'results.json'), 'utf8')) as Results;
    html = await readFile(join(out, dir ?? '', 'report.html'), 'utf8');
  }, 180_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  const blameOf = (mode: string) => {
    const run = results.scenarios.find((s) => s.scenario.mode === mode)?.runs[0];
    expect(run?.blame, mode).toBeTruthy();
    return run!.blame!;
  };

  it('names the blocking function and its line with most of the stall time', async () => {
    expect(cli.code, cli.stderr).toBe(EXIT.ok);
    const blame = blameOf('blocking');
    expect(blame.error).toBeNull();
    expect(blame.stallThresholdMs).toBe(20);
    expect(blame.stalls).toBeGreaterThan(0);
    const [top] = blame.culprits;
    expect(top, JSON.stringify(blame.culprits)).toMatchObject({
      frame: 'pbkdf2Digest',
      file: WORKLOAD_FILE,
      line: await lineOf('pbkdf2Digest'),
      context: 'pbkdf2Sync',
    });
    expect(top!.share).toBeGreaterThan(0.5);
    // Its ms are stall time inside the window: never more than the stalls, nor than the window.
    expect(top!.ms).toBeLessThanOrEqual(blame.stallMs + 1);
    expect(blame.stallMs).toBeLessThanOrEqual(blame.windowMs);
    expect(cli.stdout).toMatch(
      /stall blame, blocking: the loop stalled .* — pbkdf2Sync ← pbkdf2Digest server\/workloads\/hash-digests\.ts:\d+ /,
    );
  });

  it('blames nothing in the workload for the async run, over the whole of its window', () => {
    const blame = blameOf('async');
    expect(blame.error).toBeNull();
    // Blame watched this run's whole window (the blocking run above shows it names a culprit when
    // there is one): "nothing blamed" is then what it saw, not a window it missed.
    const run = results.scenarios.find((s) => s.scenario.mode === 'async')?.runs[0];
    expect(blame.windowMs).toBeGreaterThanOrEqual((run?.windowSeconds ?? Infinity) * 1000 * 0.9);
    // On a busy machine the loop can wait for a CPU (reported apart) or catch a sample at a stall's
    // edge; a function that really stalls the loop fills whole stalls, each over the threshold.
    const inWorkload = blame.culprits.filter((c) => c.file?.startsWith('server/workloads/'));
    const workloadMs = inWorkload.reduce((sum, c) => sum + c.ms, 0);
    expect(workloadMs, JSON.stringify(inWorkload)).toBeLessThan(blame.stallThresholdMs);
    expect(cli.stdout).toMatch(/stall blame, async: /);
  });

  it('charts the culprits in report.html and says where there was nothing to blame', () => {
    expect(html).toContain('<h2>Stall blame</h2>');
    expect(html).toMatch(/<svg class="chart blame"[^>]*>.*pbkdf2Digest/s);
  });
});

/** A user's workload file (bring your own workload) whose blocking form spends its time in `spinFor`, line 3. */
const USER_WORKLOAD = `// A workload of the user's own, outside the repo.

function spinFor(rounds: number): number {
  let x = 0;
  for (let i = 0; i < rounds; i += 1) x = (x * 31 + i) % 1000003;
  return x;
}

export default {
  name: 'user-spin',
  summary: 'a CPU-bound loop of the user, for stall blame',
  params: { rounds: { kind: 'int', min: 1, max: 100000000, default: 30000000 } },
  blocking({ rounds }: { rounds: number }) {
    return { x: spinFor(rounds) };
  },
  loadtest: { params: { rounds: 30000000 } },
};
`;

describe("stall blame for a user's workload file", () => {
  let dir: string;
  let results: Results;
  let cli: CliOutcome;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'looplab-blame-byow-'));
    await writeFile(join(dir, 'user-spin.ts'), USER_WORKLOAD);
    cli = await runCli(
      [
        '--workload-file',
        join(dir, 'user-spin.ts'),
        '--workloads',
        'user-spin',
        '--modes',
        'blocking',
        '--connections',
        '2',
        '--duration',
        '2',
        '--warmup',
        '1',
        '--out',
        join(dir, 'out'),
      ],
      { timeoutMs: 150_000 },
    );
    const [run] = await readdir(join(dir, 'out'));
    results = JSON.parse(await readFile(join(dir, 'out', run ?? '', 'results.json'), 'utf8')) as Results;
  }, 180_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("blames the function by the user's own file and line", () => {
    expect(cli.code, cli.stderr).toBe(EXIT.ok);
    const blame = results.scenarios[0]?.runs[0]?.blame;
    expect(blame?.error).toBeNull();
    const [top] = blame?.culprits ?? [];
    expect(top, JSON.stringify(blame?.culprits)).toMatchObject({
      frame: 'spinFor',
      file: join(dir, 'user-spin.ts'),
      line: 3,
    });
    expect(top!.share).toBeGreaterThan(0.5);
  });
});
