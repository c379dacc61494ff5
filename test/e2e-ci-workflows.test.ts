import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, unlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE_EXIT } from '../stall-blame/gate/env.ts';

/**
 * The workflows in examples/ci/ run locally with the commands docs/guide/ci.md gives (issue 26): every
 * looplab command a workflow runs is one the guide shows, and the stall gate's step, run as the
 * workflow's own `run:` text in a small project of plain JavaScript (this repo's sources behind its
 * `npm run gate`), goes red on a test that blocks for 200 ms and green without it. The regression
 * workflow's two commands are the ones test/e2e-loadtest-max-regression.test.ts runs through the CLI.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = ['stall-gate.yml', 'regression.yml'];

/**
 * The `run:` texts of a workflow's steps: a one-line `run: cmd`, or a `run: |` block (its lines, dedented).
 * Enough YAML for the examples, which keep to those two forms.
 */
async function runSteps(file: string): Promise<string[]> {
  const lines = (await readFile(join(ROOT, 'examples/ci', file), 'utf8')).split('\n');
  const runs: string[] = [];
  lines.forEach((line, i) => {
    const match = /^(\s*)(?:- )?run: ?(.*)$/.exec(line);
    if (!match) return;
    const [, indent = '', value = ''] = match;
    if (value !== '|') {
      runs.push(value);
      return;
    }
    const block: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.trim() !== '' && next.length - next.trimStart().length <= indent.length) break;
      block.push(next);
    }
    const depth = Math.min(...block.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    runs.push(
      block
        .map((l) => l.slice(depth))
        .join('\n')
        .trim(),
    );
  });
  return runs;
}

/** `npm run loadtest -- --workloads hash … --out X`: one command per line, continuations joined, paths and comments left out. */
function looplabCommands(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => /^npm run (gate|loadtest) /.test(line))
    .map((line) =>
      line
        .replace(/--(out|compare) \S+/g, '--$1 PATH')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

describe('the workflows in examples/ci', () => {
  it.each(WORKFLOWS)('%s runs only looplab commands the guide gives', async (file) => {
    const guide = await readFile(join(ROOT, 'docs/guide/ci.md'), 'utf8');
    const blocks = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').join('\n');
    const given = new Set(looplabCommands(blocks));
    const used = (await runSteps(file)).flatMap(looplabCommands);
    expect(used.length).toBeGreaterThan(0);
    for (const command of used) expect([...given]).toContain(command);
  });
});

const BLOCKING = `it('blocks for 200 ms', function blocksTheLoop() {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
});
`;

describe('the stall gate workflow, run locally', () => {
  let project = '';
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'looplab-ci-workflow-'));
    const gate = `node --import ${join(ROOT, 'lib/typescript-loader.mjs')} ${join(ROOT, 'cli/looplab.ts')} gate`;
    await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module', scripts: { gate } }));
    await writeFile(join(project, 'vitest.config.js'), 'export default { test: { globals: true } };\n');
    await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    await mkdir(join(project, 'test'));
    await writeFile(
      join(project, 'test/clean.test.js'),
      "it('awaits', async () => { await new Promise((r) => setTimeout(r, 50)); });\n",
    );
  });
  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  /** The workflow's gate step, as its `run:` text, in the project. */
  async function gateStep(): Promise<{ code: number; stderr: string }> {
    const step = (await runSteps('stall-gate.yml')).find((run) => run.includes('npm run gate'));
    if (!step) throw new Error('stall-gate.yml has no npm run gate step');
    return new Promise((resolve) => {
      execFile('sh', ['-c', step], { cwd: project, timeout: 120_000 }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
  }

  it('goes red on a test that blocks the loop for 200 ms, naming it', async () => {
    await writeFile(join(project, 'test/blocks.test.js'), BLOCKING);
    const { code, stderr } = await gateStep();
    expect(code, stderr).toBe(GATE_EXIT.stalled);
    expect(stderr).toMatch(/blocksTheLoop test\/blocks\.test\.js:1 /);
  }, 150_000);

  it('goes green once the blocking test is gone', async () => {
    await unlink(join(project, 'test/blocks.test.js'));
    const { code, stderr } = await gateStep();
    expect(stderr).toContain('looplab gate: passed');
    expect(code).toBe(GATE_EXIT.ok);
  }, 150_000);
});
