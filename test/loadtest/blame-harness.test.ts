import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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
 * STALL_BLAME_MS, reads the blame for each measured window, and must name the function that blocks.
 */
describe('stall blame in npm run loadtest', () => {
  let out: string;
  let cli: CliOutcome;
  let results: Results;
  let html: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'looplab-blame-harness-'));
    cli = await runCli(
      ['--workloads', 'hash', '--modes', 'blocking,async', '--connections', '4', '--duration', '2', '--warmup', '1', '--params', 'hash.cost=100000', '--out', out],
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
    expect(blame.thresholdMs).toBe(20);
    expect(blame.stalls).toBeGreaterThan(0);
    const [top] = blame.culprits;
    expect(top, JSON.stringify(blame.culprits)).toMatchObject({ frame: 'pbkdf2Digest', file: WORKLOAD_FILE, line: await lineOf('pbkdf2Digest'), context: 'pbkdf2Sync' });
    expect(top!.share).toBeGreaterThan(0.5);
    // Its ms are stall time inside the window: never more than the stalls, nor than the window.
    expect(top!.ms).toBeLessThanOrEqual(blame.stallMs + 1);
    expect(blame.stallMs).toBeLessThanOrEqual(blame.windowMs);
    expect(cli.stdout).toMatch(/stall blame, blocking: the loop stalled .* — pbkdf2Sync ← pbkdf2Digest server\/workloads\/hash-digests\.ts:\d+ /);
  });

  it('blames nothing in the workload for the async run', () => {
    const blame = blameOf('async');
    expect(blame.error).toBeNull();
    // On a busy machine the loop can wait for a CPU (reported apart) or catch a sample at a stall's
    // edge; a function that really stalls the loop fills whole stalls, each over the threshold.
    const inWorkload = blame.culprits.filter((c) => c.file?.startsWith('server/workloads/'));
    const workloadMs = inWorkload.reduce((sum, c) => sum + c.ms, 0);
    expect(workloadMs, JSON.stringify(inWorkload)).toBeLessThan(blame.thresholdMs);
    expect(cli.stdout).toMatch(/stall blame, async: /);
  });

  it('charts the culprits in report.html and says where there was nothing to blame', () => {
    expect(html).toContain('<h2>Stall blame</h2>');
    expect(html).toMatch(/<svg class="chart blame"[^>]*>.*pbkdf2Digest/s);
  });
});
