import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';

const run = promisify(execFile);
const looplab = [...typeScriptLoaderArgs(), 'cli/looplab.ts', 'seeds'];

interface Failed {
  code: number;
  stdout: string;
  stderr: string;
}

async function seeds(args: string[]): Promise<Failed> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...looplab, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as Failed & { code: unknown };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * `looplab seeds` through the dispatcher, as `npm run seeds` runs it, on two small experiments: one I/O
 * batch on the bundled upstream it starts itself and one CPU batch, once each, no sweep. What a fresh
 * clone needs is only what this starts; the orderings themselves are pinned by io-orderings and cpu-speedup.
 */
describe('looplab seeds, end to end on a short run', () => {
  let out: string;
  let result: Failed;
  let dir: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'looplab-seeds-cli-'));
    result = await seeds(['--only', 'dev-io,guide-sum', '--repeats', '1', '--no-sweep', '--out', out]);
    dir = join(out, (await readdir(out))[0] ?? 'none');
  }, 150_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('exits 0 and writes results.json, report.md and report.html into a seeds-<timestamp> folder', async () => {
    expect(result.code, result.stderr).toBe(0);
    expect(dir).toMatch(/seeds-\d{4}-\d\d-\d\dT/);
    expect((await readdir(dir)).sort()).toEqual(['report.html', 'report.md', 'results.json']);
  });

  it('records every form of the experiments asked for, with one sample each, and prints their tables', async () => {
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as {
      experiments: { id: string; forms: { form: string; samples: { batchMs: number }[] }[] }[];
      sweep?: unknown;
    };
    expect(results.experiments.map((e) => e.id)).toEqual(['dev-io', 'guide-sum']);
    for (const experiment of results.experiments) {
      expect(experiment.forms.length).toBeGreaterThanOrEqual(2);
      for (const form of experiment.forms) {
        expect(form.samples).toHaveLength(1);
        expect(form.samples[0]?.batchMs).toBeGreaterThan(0);
      }
    }
    // dev-io's three pages at 53 ms each: the sequential client cannot beat three waits back to back.
    const devIo = results.experiments[0]?.forms.find((f) => f.form === 'sync-client');
    expect(devIo?.samples[0]?.batchMs).toBeGreaterThanOrEqual(3 * 52);
    expect(result.stdout).toContain('Fetch 3 pages of different sizes');
    expect(result.stdout).toContain('Lesson:');
  });

  it('refuses a bad flag in one line with exit 2, and writes nothing', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'looplab-seeds-bad-'));
    try {
      const refused = await seeds(['--repeats', '0', '--out', bad]);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/--repeats must be a whole number 1\.\.50, got "0"/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(await readdir(bad)).toEqual([]);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
