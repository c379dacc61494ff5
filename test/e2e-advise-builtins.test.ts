import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { type Advice, BUSY_MACHINE_CORES } from '../loadtest/advise/advice.ts';

/**
 * `looplab advise` on the built-ins gives the answers the seeds predict, on a 2-core machine. Each run
 * is the real command with a short experiment (3 s measured, 5 repeats, and where the answer does not
 * turn on them a budget that cuts the largest pools): minutes each. Heavy and timing-bound: other load on the machine can move a
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

const SHORT = ['--modes', 'async,worker', '--duration', '3', '--warmup', '1'];
/** Every pool size from 1 to 4 screened: async, ×2, ×1, ×3, ×4, then 3 finalists × 5 (20 runs, about 3 min). */
const WHOLE = [...SHORT, '--budget', '240'];
/**
 * The largest pools cut (named in the output; for waiting work also ×2 c4): async, ×2 and ×1 screened and
 * all three repeated (18 runs). For waiting work (fetch), whose answer does not turn on ×3 or ×4.
 */
const SMALL_POOLS = [...SHORT, '--budget', '220'];
/**
 * The least advise runs: async and ×2, each repeated (12 runs); the offload cost is measured apart. For
 * work whose claim is async against the pool that fills the cores: db (waiting, as fetch, whose case
 * screens the smaller pools too) and pbkdf2 (libuv's own pool).
 */
const LEAST = [...SHORT, '--budget', '155'];
const TIMEOUT = 900_000;

const row = (advice: Advice | undefined, label: string) => advice?.table.find((r) => r.label === label);
const bestWorker = (advice: Advice | undefined) =>
  advice?.table.filter((r) => r.candidate.mode === 'worker').sort((a, b) => b.rps.median - a.rps.median)[0];

/** The evidence in a few lines: what a failure, or CI's log, must show to be read without a re-run. */
function evidenceText(advice: Advice | undefined): string {
  if (!advice) return '(no advice)';
  const rows = advice.table.map(
    (r) => `  ${r.label}: ${r.rps.median.toFixed(1)} req/s (${r.rps.min.toFixed(1)}–${r.rps.max.toFixed(1)}), ${r.why}`,
  );
  return [advice.paragraph, ...rows, `  others held ${advice.othersCores ?? '?'} cores`].join('\n');
}

/** The candidates a "left open" answer hangs between: the rows of rule 7. */
const openRows = (advice: Advice | undefined) => advice?.table.filter((r) => r.standing.kind === 'unresolved') ?? [];

/**
 * The answer, or an honest "the runs cannot decide" (rule 7) — never another answer: a wrong mode is a
 * failure however busy the machine was. "Cannot decide" passes only when it could not be wrong: every
 * candidate it leaves open is one `sameAnswer` accepts (a pool of 2 or of 3 threads for CPU work on 2
 * cores, say), or other processes held a quarter core or more while it ran. Which branch was taken is
 * printed with the evidence, so a run on a quiet machine shows it took the first.
 */
function expectAnswerOrOpen(
  advice: Advice | undefined,
  expected: Advice['recommended'],
  stderr: string,
  sameAnswer: (row: Advice['table'][number]) => boolean,
) {
  const evidence = evidenceText(advice);
  console.info(evidence);
  expect(advice, stderr).toBeDefined();
  if (advice?.recommended) {
    expect(advice.recommended, evidence).toEqual(expected);
    return;
  }
  expect(advice?.undecided, evidence).toMatch(/not beyond noise/);
  const busy = (advice?.othersCores ?? 0) >= BUSY_MACHINE_CORES;
  if (!busy) expect(openRows(advice).every(sameAnswer), evidence).toBe(true);
}

describe('looplab advise on the built-ins (2 cores)', () => {
  it(
    'advises worker mode with a pool of 2 for cpu, and never async',
    async () => {
      const { code, advice, stderr } = await advise(['--workloads', 'cpu', ...WHOLE]);
      expect(code, stderr).toBe(0);
      // Left open between pools of 2 and more is still "worker": on 2 cores those serve alike.
      expectAnswerOrOpen(advice, { mode: 'worker', workers: 2 }, stderr, (r) => (r.candidate.workers ?? 0) >= 2);
      expect(['beaten', 'screened-out', 'unresolved']).toContain(row(advice, 'async')?.standing.kind);
      // The loop is one core, the pool two: async serves clearly less — when the two cores are there to
      // be had. With other processes holding most of them (1.75 of 2 in one run here), neither mode gets
      // more than their leavings, and worker ×2 served 0.65× async by median: not an ordering to assert.
      if ((advice?.othersCores ?? 0) < BUSY_MACHINE_CORES)
        expect(row(advice, 'worker ×2')?.rps.median ?? 0).toBeGreaterThan(
          1.2 * (row(advice, 'async')?.rps.median ?? 0),
        );
    },
    TIMEOUT,
  );

  it(
    'advises async for fetch, whose work is waiting',
    async () => {
      const { code, advice, stderr } = await advise(['--workloads', 'fetch', ...SMALL_POOLS]);
      expect(code, stderr).toBe(0);
      // Waiting work has the pool of 2 threads with 4 tasks each too, screened after every plain size, so cut first.
      expect(advice?.cut, stderr).toEqual(['worker ×3', 'worker ×4', 'worker ×2 c4']);
      expectAnswerOrOpen(advice, { mode: 'async' }, stderr, () => false);
      // 8 requests in flight wait together on the loop; a pool of k threads waits on k at a time.
      expect(row(advice, 'async')?.rps.median ?? 0).toBeGreaterThan(1.2 * (bestWorker(advice)?.rps.median ?? 0));
    },
    TIMEOUT,
  );

  it(
    'advises async for db, whose work is waiting',
    async () => {
      const { code, advice, stderr } = await advise(['--workloads', 'db', ...LEAST]);
      expect(code, stderr).toBe(0);
      expectAnswerOrOpen(advice, { mode: 'async' }, stderr, () => false);
      expect(row(advice, 'async')?.rps.median ?? 0).toBeGreaterThan(1.2 * (bestWorker(advice)?.rps.median ?? 0));
    },
    TIMEOUT,
  );

  it(
    'advises async for hash with pbkdf2 (libuv\u2019s pool), within noise of worker',
    async () => {
      const { code, advice, stderr } = await advise(['--workloads', 'hash', '--params', 'hash.algo=pbkdf2', ...LEAST]);
      expect(code, stderr).toBe(0);
      // Left open between async and a pool is still "within noise of worker", the claim; a pool recommended is not.
      expectAnswerOrOpen(advice, { mode: 'async' }, stderr, () => true);
      // Both fill the 2 cores: no worker pool beats async beyond noise. On a quiet machine here the pool
      // served within noise of async (lab note 2026-12-07-advise-gain); how the scheduler shares two cores
      // between libuv's four threads, a pool's two and the load generator can tip that either way, so a
      // pool that async beats is the same answer, and only a pool ahead of async is a failure.
      expect(row(advice, 'async')?.standing.kind).not.toBe('beaten');
      expect(['not-worth-it', 'unresolved', 'screened-out', 'beaten']).toContain(bestWorker(advice)?.standing.kind);
    },
    TIMEOUT,
  );

  it(
    'says offloading costs more than it saves for cpu with a tiny n, with the hop in µs beside the work',
    async () => {
      // n=10: a few µs of work, far below any hop. At n=1000 the work was near the hop's size, and test:all
      // at 5e0de39 on a noisy host measured the hop below it once (it passed alone just after).
      const { code, advice, stderr } = await advise(['--workloads', 'cpu', '--params', 'cpu.n=10', ...LEAST]);
      expect(code, stderr).toBe(0);
      expect(advice?.offload?.costsMoreThanItSaves, stderr).toBe(true);
      // The hop (posting, cloning, waking a thread) is CPU per call; the work is the function alone, µs.
      expect(advice?.offload?.hopUs).toBeGreaterThanOrEqual(advice?.offload?.workUs ?? Number.POSITIVE_INFINITY);
      expect(advice?.paragraph).toMatch(
        /Offloading costs more than it saves here: the hop takes \d+ µs of CPU per call beside \d+ µs of work/,
      );
    },
    TIMEOUT,
  );
});
