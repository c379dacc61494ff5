/**
 * `looplab loadtest --target /a,/b -- node server.js`: the real CLI starts a plain node:http server this
 * test writes, with the stall-blame preload, loads each path as its own scenario and stops the server and
 * the child it started. No speed is asserted: which function blocks, what the scenarios are called,
 * which processes are left.
 */
import { BLOCK_FOR_SOURCE } from '../helpers/block-for.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import type { Results } from '../../loadtest/types.ts';
import { waitForExit } from '../helpers/processes.ts';
import { runCli, STACK_LINE } from './run-cli.ts';

/**
 * One route that holds the event loop for 30 ms of CPU in `blockFor`, one that answers at once. It
 * listens on PORT, or with `ignore-port` on a port of its own choosing; it starts a child process, and
 * writes its own pid and the child's where the test can read them.
 */
const SERVER = `const { createServer } = require('node:http');
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');

${BLOCK_FOR_SOURCE}

const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync(process.env.PIDS_FILE, JSON.stringify([process.pid, helper.pid]));
const server = createServer(function handle(req, res) {
  res.end(String(req.url === '/block' ? blockFor(30) : 0));
});
const port = process.argv[2] === 'ignore-port' ? 0 : Number(process.env.PORT);
server.listen(port, '127.0.0.1', () => console.log('listening on', server.address().port));
`;

const DIES = `console.log('connecting to the database');
console.error('cannot reach the database at 127.0.0.1:5432');
process.exit(3);
`;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-server-command-'));
  await writeFile(join(dir, 'server.cjs'), SERVER);
  await writeFile(join(dir, 'dies.cjs'), DIES);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CLI as a user in `dir` runs it, its server started with this test's Node. */
function loadtest(args: readonly string[], command: readonly string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: dir, PIDS_FILE: join(dir, 'pids.json') };
  delete env['PORT'];
  return runCli([...args, '--out', join(dir, 'results'), '--json', '--', process.execPath, ...command], {
    env,
    timeoutMs: 240_000,
  });
}

const pidsOf = async () => JSON.parse(await readFile(join(dir, 'pids.json'), 'utf8')) as number[];

describe('loadtest --target PATHS -- <command>', () => {
  it('names the blocking function, calls each scenario by its path, and leaves no process behind', async () => {
    const { code, stdout, stderr } = await loadtest(
      [
        ...['--target', '/block,/fine', '--connections', '2', '--duration', '2', '--warmup', '0'],
        ...['--threshold', "'/fine'.errors<=0"],
      ],
      ['server.cjs'],
    );
    expect(stderr).not.toMatch(STACK_LINE);
    expect(code, stderr).toBe(EXIT.ok);
    const results = JSON.parse(stdout) as Results;
    expect(results.scenarios.map((s) => s.scenario.workload)).toEqual(['/block', '/fine']);
    expect(results.options.command).toEqual([process.execPath, 'server.cjs']);
    const block = results.scenarios[0];
    expect(block?.runs[0]?.ok).toBeGreaterThan(0);
    expect(JSON.stringify(block?.runs[0]?.blame)).toContain('blockFor');
    expect(stderr).toContain("threshold passed: '/fine'.errors<=0");
    // The server and the child it started are gone once the CLI has exited.
    expect(await waitForExit(await pidsOf(), 5_000)).toEqual([]);
  }, 300_000);

  it('finds a server that ignores PORT on the port it did listen on, with blame off too', async () => {
    const { code, stdout, stderr } = await loadtest(
      ['--target', '/fine', '--connections', '1', '--duration', '1', '--warmup', '0', '--no-blame'],
      ['server.cjs', 'ignore-port'],
    );
    expect(code, stderr).toBe(EXIT.ok);
    const results = JSON.parse(stdout) as Results;
    const listened = /its server listens at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
    expect(results.options.target).toBe(`${listened}/`);
    expect(results.scenarios[0]?.runs[0]?.ok).toBeGreaterThan(0);
    // --no-blame: the preload it got only said where it listened, and no run asked for blame.
    expect(stderr).toContain('with a preload that only reports where it listens (--no-blame)');
    expect(results.scenarios[0]?.runs[0]?.blame).toBeNull();
    expect(await waitForExit(await pidsOf(), 5_000)).toEqual([]);
  }, 300_000);

  it('says in one line, with the end of its output, that the command exited before it listened', async () => {
    const { code, stdout, stderr } = await loadtest(['--target', '/'], ['dies.cjs']);
    expect(code).toBe(EXIT.couldNotRun);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines.at(-4)).toMatch(/^loadtest: \S+ dies\.cjs exited \(code 3\) before it listened; its last output:$/);
    expect(stderr).toContain('  | cannot reach the database at 127.0.0.1:5432');
    expect(stderr).not.toMatch(STACK_LINE);
  }, 120_000);
});
