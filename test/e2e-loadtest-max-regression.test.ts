import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { EXIT } from '../loadtest/cli/exit-codes.ts';
import { runCli } from './loadtest/run-cli.ts';

/**
 * Issue 26 item 3, end to end through the real CLI and a real server: `--compare --max-regression 10%`
 * fails a build on a 30% slowdown of one workload, and passes two runs of the same code five times out
 * of five. The workload is a file of our own, as a user's would be: it blocks the loop for 30 ms, and its
 * "next commit" for 30% longer. It blocks with Atomics.wait, as a synchronous driver or readFileSync
 * would, not with a busy loop: on a machine whose CPUs are shared with other work, a busy loop's time
 * (and so every figure) swings with that work, and a test of noise would then test the machine. Runs are
 * short (1 s, about 66 answers at 2 in flight, with no warm-up: a request is a 30 ms wait, with nothing
 * to warm that a first run would pay for) and 6 a side: the fewest with which the Holm-corrected test
 * over this family can reject at all (the CLI says so). At 2 s with a 1 s warm-up the file took 207 s
 * of a 30-minute suite; the slowdown is 30% against a 10% margin either way. The stall threshold (100 ms) is above the workload's 30 ms blocks, so blame
 * has nothing to compare but stalls the code did not cause.
 */
const spin = (factor: number) => `
export default {
  name: 'spin',
  summary: 'blocks the event loop for ms milliseconds',
  params: { ms: { kind: 'int', min: 1, max: 100, default: 30 } },
  blocking({ ms }) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms * ${factor});
    return { ms };
  },
};
`;
const shape = [
  '--modes',
  'blocking',
  '--connections',
  '2',
  '--duration',
  '1',
  '--warmup',
  '0',
  '--repeat',
  '6',
  '--stall-threshold',
  '100',
];
const RUN_GUARD_MS = 180_000;

let dir = '';
let runs = 0;

/** The CLI with the suite's database and upstream; `stepSummary` stands for GitHub's $GITHUB_STEP_SUMMARY. */
async function loadtest(file: string, extra: string[] = [], stepSummary?: string) {
  const out = join(dir, `run-${++runs}`);
  const { GITHUB_STEP_SUMMARY: _ours, ...env } = process.env;
  const cli = await runCli(['--workload-file', join(dir, file), '--quiet', '--out', out, ...shape, ...extra], {
    timeoutMs: RUN_GUARD_MS,
    env: {
      ...env,
      DATABASE_URL: inject('databaseUrl'),
      UPSTREAM_URL: inject('upstreamUrl'),
      ...(stepSummary ? { GITHUB_STEP_SUMMARY: stepSummary } : {}),
    },
  });
  const [stamp] = await readdir(out).catch(() => []);
  return { ...cli, results: join(out, stamp ?? '', 'results.json'), folder: join(out, stamp ?? '') };
}

let baseline = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-regression-'));
  await writeFile(join(dir, 'spin.mjs'), spin(1));
  await writeFile(join(dir, 'spin-slower.mjs'), spin(1.3));
  const first = await loadtest('spin.mjs');
  expect(first.code, first.stderr).toBe(EXIT.ok);
  baseline = first.results;
}, RUN_GUARD_MS);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it(
  'passes two runs of the same code 5 times out of 5',
  async () => {
    let previous = baseline;
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await loadtest('spin.mjs', ['--compare', previous, '--max-regression', '10%']);
      codes.push(run.code);
      if (run.code !== EXIT.ok) console.error(run.stderr);
      expect(run.stderr).toMatch(/regression (no regression|inconclusive) against /);
      previous = run.results;
    }
    expect(codes).toEqual([0, 0, 0, 0, 0]);
  },
  RUN_GUARD_MS * 5,
);

it(
  'fails with exit 6 on a 30% slowdown of the workload, naming its figures, and writes the Markdown summary',
  async () => {
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, '# earlier step\n');
    const run = await loadtest('spin-slower.mjs', ['--compare', baseline, '--max-regression', '10%'], summary);
    expect(run.code, run.stderr).toBe(EXIT.regressed);
    expect(run.stderr).toMatch(/regression REGRESSED against .*results\.json: \d+ figure\(s\) got worse/);
    expect(run.stderr).toMatch(/^loadtest: {3}regressed: spin\/blocking at 2 connections req\/s .* worse, margin 10%/m);
    const markdown = await readFile(summary, 'utf8');
    // Appended to what the job's earlier steps wrote, as GitHub's job summary expects.
    expect(markdown).toMatch(/^# earlier step\n## looplab: REGRESSED$/m);
    expect(markdown).toMatch(/^\| spin\/blocking at 2 connections \| req\/s \|.*\*\*regressed\*\* \|$/m);
    expect(await readFile(join(run.folder, 'regression.md'), 'utf8')).toBe(markdown.replace('# earlier step\n', ''));
  },
  RUN_GUARD_MS,
);
