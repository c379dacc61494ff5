import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThresholdError } from '../../loadtest/analyse/thresholds.ts';
import { OptionsError } from '../../loadtest/cli/options-error.ts';
import { prepareRun } from '../../loadtest/cli/prepare.ts';

/**
 * The mistakes a new user makes first, refused by the checks the CLI runs before it starts anything
 * (loadtest/cli/prepare.ts), called in-process: each is one plain sentence the CLI prints after
 * "loadtest: " and exits 2 with. That the CLI does print it, exit 2 and start nothing is
 * cli-refusals.test.ts's, with one real child process per exit code.
 */
const refusal = async (args: readonly string[]) => {
  try {
    await prepareRun([...args, '--out', '/nonexistent/never-written'], {});
  } catch (err) {
    if (err instanceof OptionsError || err instanceof ThresholdError) return err.message;
    throw err;
  }
  throw new Error(`${args.join(' ')} was not refused`);
};

describe('the command line is refused before anything starts', () => {
  it.each([
    [['--params', 'fetch.delay'], '--params: "fetch.delay" is not of the form workload.param=value'],
    [
      ['--workload-file', './my-work.ts', '--url', 'http://127.0.0.1:1'],
      '--workload-file loads files into the server the harness starts',
    ],
    [
      ['--workloads', 'hash', '--workloads', 'fetch'],
      '--workloads is given more than once; give one comma-separated list instead',
    ],
    [
      ['--faults', '--workloads', 'hash'],
      'it takes only --rate (one value), --duration (seconds per phase), --out and --json, not --workloads',
    ],
    [['--faults', '--threshold', 'db.async.p99<100'], 'not --threshold (the fault run evaluates no thresholds)'],
    [['--compare', 'README.md'], '--compare: README.md is not JSON'],
    [
      ['--compare', 'package.json'],
      '--compare: package.json is not a looplab results.json (schema looplab-loadtest/2 or looplab-loadtest/3)',
    ],
    [['--compare', 'no/such/results.json'], '--compare: cannot read no/such/results.json: ENOENT'],
    [['--threshold', 'fetch.async.loop_busy<eighty'], '"eighty" is not workload.mode.metric'],
  ])('%j', async (args, message) => {
    expect(await refusal(args)).toContain(message);
  });
});

describe('files the run would need are checked before it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'looplab-command-line-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to --compare with a schema-1 results file, whose req/s counted refusals', async () => {
    const old = join(dir, 'results.json');
    await writeFile(old, '{"schema":"looplab-loadtest/1","scenarios":[]}');
    expect(await refusal(['--compare', old])).toContain(
      `--compare: ${old} was written by an older looplab (schema looplab-loadtest/1`,
    );
  });

  it('refuses an --out that cannot hold the reports before the run, not after it', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    await expect(prepareRun(['--out', join(file, 'results'), '--url', 'http://127.0.0.1:1'], {})).rejects.toThrow(
      new OptionsError(`--out: ${file} is not a directory, so ${join(file, 'results')} cannot hold the reports`),
    );
  });

  it('accepts a good command line and reads nothing it was not given', async () => {
    const prepared = await prepareRun(['--url', 'http://127.0.0.1:1', '--out', dir], {});
    expect(prepared).toMatchObject({ options: { url: 'http://127.0.0.1:1' }, thresholds: [], previous: undefined });
    expect(await prepareRun(['--help'], {})).toBe('help');
  });
});
