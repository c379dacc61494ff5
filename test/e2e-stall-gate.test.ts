/**
 * The stall gate (`looplab gate -- <command>`) around real test runners — vitest's threads and forks
 * pools and `node --test` — over a fixture project written to a temp dir outside the repo, in plain
 * JavaScript. Its blocking tests block with Atomics.wait (a blocking wait, as execSync or readFileSync
 * are), not a busy loop: a busy loop on a loaded machine spends its time waiting for a CPU, which the
 * gate rightly does not blame on the code. vitest comes from the repo's node_modules, by path.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGate } from './helpers/gate.ts';
import { GATE_EXIT } from '../stall-blame/gate/env.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const BLOCK = 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);';

/** The fixture's files; the line numbers the gate must name are where each blocking function is defined. */
const FILES: Record<string, string> = {
  'worker.mjs': `function blocksTheWorker() { ${BLOCK} }\nsetTimeout(blocksTheWorker, 20);\n`,
  'vitest/blocks.test.js': [
    "import { Worker } from 'node:worker_threads';",
    "describe('the loop', () => {",
    "  it('is fine when awaited', async () => { await new Promise((r) => setTimeout(r, 20)); });",
    "  it('blocks for 200 ms', function blocksTheLoop() {",
    `    ${BLOCK}`,
    '  });',
    "  it('blocks in a worker thread', async () => {",
    "    const worker = new Worker(new URL('../worker.mjs', import.meta.url));",
    "    await new Promise((resolve) => worker.on('exit', resolve));",
    '  });',
    '});',
    '',
  ].join('\n'),
  'vitest/clean.test.js': "it('awaits', async () => { await new Promise((r) => setTimeout(r, 200)); });\n",
  'node/blocks.test.mjs': [
    "import { test } from 'node:test';",
    "import { Worker } from 'node:worker_threads';",
    "test('is fine when awaited', async () => { await new Promise((r) => setTimeout(r, 20)); });",
    "test('blocks for 200 ms', function blocksTheLoop() {",
    `  ${BLOCK}`,
    '});',
    "test('blocks in a worker thread', async () => {",
    "  const worker = new Worker(new URL('../worker.mjs', import.meta.url));",
    "  await new Promise((resolve) => worker.on('exit', resolve));",
    '});',
    '',
  ].join('\n'),
  'node/clean.test.mjs':
    "import { test } from 'node:test';\ntest('awaits', async () => { await new Promise((r) => setTimeout(r, 200)); });\n",
  'setup/vitest.config.mjs': `export default { test: { globals: true, setupFiles: [${JSON.stringify(join(ROOT, 'stall-blame/gate/vitest-setup.ts'))}] } };\n`,
  'setup/stall.test.js': [
    "it('is fine when awaited', async () => { await new Promise((r) => setTimeout(r, 200)); });",
    "it('blocks for 200 ms', function blocksTheLoop() {",
    `  ${BLOCK}`,
    '});',
    '',
  ].join('\n'),
  'expect/no-stall.test.js': [
    `import { expectNoStall } from ${JSON.stringify(join(ROOT, 'stall-blame/gate/vitest.ts'))};`,
    "it('fails around a blocking block', async () => {",
    `  await expect(expectNoStall(function blockingBlock() { ${BLOCK} }, { thresholdMs: 50 ` +
      `})).rejects.toThrow(/blockingBlock expect\\/no-stall\\.test\\.js:3/);`,
    '});',
    "it('passes around an awaited block', async () => {",
    '  await expectNoStall(async () => { await new Promise((r) => setTimeout(r, 200)); }, { thresholdMs: 50 });',
    '});',
    '',
  ].join('\n'),
  'allow-both.json': JSON.stringify({
    allow: [{ function: 'blocksTheLoop', reason: 'the fixture blocks on purpose' }, { file: '**/worker.mjs' }],
  }),
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'looplab-gate-fixture-'));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gate = (gateArgs: string[], command: string[]) => runGate(dir, gateArgs, command);

const vitest = (pool: string, file: string) => [process.execPath, VITEST, 'run', '--globals', '--pool', pool, file];
const nodeTest = (file: string) => [process.execPath, '--test', file];

describe.each(['threads', 'forks'])('looplab gate around vitest run --pool %s', (pool) => {
  // threads: the test file runs in a worker thread of vitest's process; forks: in a child process's main thread.
  const where = pool === 'threads' ? 'worker thread' : 'main thread';

  it('goes red naming the blocking test function, its line and the test, and the blocking worker thread', async () => {
    const { code, stderr } = await gate([], vitest(pool, 'vitest/blocks.test.js'));
    expect(code).toBe(GATE_EXIT.stalled);
    expect(stderr).toContain('looplab gate: FAILED');
    expect(stderr).toMatch(
      new RegExp(`blocksTheLoop vitest/blocks\\.test\\.js:4 .* in "the loop > blocks for 200 ms" \\[${where} `),
    );
    expect(stderr).toMatch(/blocksTheWorker worker\.mjs:1 .*\[worker thread /);
  });

  it('goes green when the blocking functions are on the allowlist', async () => {
    const { code, stderr } = await gate(['--config', 'allow-both.json'], vitest(pool, 'vitest/blocks.test.js'));
    expect(stderr).toContain('looplab gate: passed');
    // The allowed section lists both, longest first: two stalls of about 200 ms each come in either order.
    const allowed = /Allowed by the allowlist:\n((?: {2}.*\n)+)/.exec(stderr)?.[1] ?? '';
    expect(allowed, stderr).toMatch(/^ {2}blocksTheLoop .*allowed: the fixture blocks on purpose$/m);
    expect(allowed, stderr).toMatch(/^ {2}blocksTheWorker worker\.mjs:1 .*allowed/m);
    expect(code).toBe(GATE_EXIT.ok);
  });

  it('goes green on a clean suite', async () => {
    const { code, stderr } = await gate([], vitest(pool, 'vitest/clean.test.js'));
    expect(stderr).toContain('looplab gate: passed');
    expect(code).toBe(GATE_EXIT.ok);
  });
});

describe('looplab gate around node --test', () => {
  it('goes red naming the blocking test function and line, in the main thread and in a worker thread', async () => {
    const { code, stderr } = await gate([], nodeTest('node/blocks.test.mjs'));
    expect(code).toBe(GATE_EXIT.stalled);
    expect(stderr).toMatch(/blocksTheLoop node\/blocks\.test\.mjs:4 .*\[main thread /);
    expect(stderr).toMatch(/blocksTheWorker worker\.mjs:1 .*\[worker thread /);
  });

  it('goes green when the blocking functions are on the allowlist', async () => {
    const { code, stderr } = await gate(['--config', 'allow-both.json'], nodeTest('node/blocks.test.mjs'));
    expect(stderr).toContain('looplab gate: passed');
    expect(code).toBe(GATE_EXIT.ok);
  });

  it('goes green on a clean suite', async () => {
    const { code, stderr } = await gate([], nodeTest('node/clean.test.mjs'));
    expect(stderr).toContain('looplab gate: passed');
    expect(code).toBe(GATE_EXIT.ok);
  });

  it('keeps the command’s own exit code when the command fails', async () => {
    const { code } = await gate([], [process.execPath, '-e', 'process.exit(3)']);
    expect(code).toBe(3);
  });
});

/** A vitest run in the fixture project: each test's state and failure messages, from the JSON reporter. */
function vitestRun(args: string[], cwd = dir): Promise<Map<string, { status: string; failureMessages: string[] }>> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [VITEST, 'run', '--reporter=json', ...args],
      { cwd, timeout: 60_000 },
      (_error, stdout) => {
        const report = JSON.parse(stdout) as {
          testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
        };
        resolve(new Map(report.testResults.flatMap((file) => file.assertionResults.map((test) => [test.title, test]))));
      },
    );
  });
}

describe('looplab/vitest', () => {
  it('fails a test during which the loop stalled, naming the culprit and its line; a test that awaits passes', async () => {
    const tests = await vitestRun([], join(dir, 'setup'));
    expect(tests.get('is fine when awaited')?.status).toBe('passed');
    expect(tests.get('blocks for 200 ms')?.status).toBe('failed');
    expect(tests.get('blocks for 200 ms')?.failureMessages.join('\n')).toMatch(
      /looplab: the event loop stalled 1 time over 50 ms .* in blocksTheLoop stall\.test\.js:2 /,
    );
  });

  it('expectNoStall fails around a blocking block and passes around an awaited one', async () => {
    const tests = await vitestRun(['--globals', 'expect/no-stall.test.js']);
    expect(tests.get('fails around a blocking block')?.status).toBe('passed');
    expect(tests.get('passes around an awaited block')?.status).toBe('passed');
  });
});
