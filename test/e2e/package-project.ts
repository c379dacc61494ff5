import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What a command printed and how it ended (a non-zero exit is a result here, not an error). */
export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell with `node` (and so `npx` and the `looplab` bin's shebang) being the
 * Node at `nodeBin`: none of the npm_* or INIT_CWD variables that this test's own npm/vitest set.
 */
export function userEnv(nodeBin: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!name.startsWith('npm_') && name !== 'INIT_CWD' && name !== 'NODE_OPTIONS') env[name] = value;
  const path = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => !dir.includes('node_modules'));
  return { ...env, PATH: [dirname(nodeBin), ...path].join(delimiter), ...extra };
}

/** Runs a command to its end. */
export function runIn(
  cwd: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
) {
  return new Promise<Outcome>((done) => {
    execFile(command, args, { cwd, env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/**
 * `npm run build` then `npm pack` of this repo, into `dir`. The build is run by itself and the pack with
 * --ignore-scripts (prepack would build again; prepare would re-run patch-package on the shared install).
 */
export async function packRepo(dir: string): Promise<string> {
  const repo = resolve('.');
  await run('npm', ['run', '-s', 'build'], { cwd: repo, timeout: 300_000 });
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: repo, timeout: 120_000 });
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  return join(dir, tarball);
}

/** A fresh project outside the repo, as `npm init -y` makes it, with `packages` installed from the registry's cache where it can. */
export async function freshProject(name: string, packages: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `looplab-${name}-`));
  await run('npm', ['init', '-y'], { cwd: dir });
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packages], {
    cwd: dir,
    timeout: 300_000,
  });
  return dir;
}

/**
 * The binary of a Node from the npm registry's `node` package (`node@22`), installed once into a cache
 * directory under the system's temp dir and kept for the next run.
 */
export async function registryNode(major: number): Promise<string> {
  const prefix = join(tmpdir(), `looplab-test-node${major}`);
  const shim = join(prefix, 'node_modules', '.bin', 'node');
  const probe = () => run(shim, ['-p', 'process.execPath']).then(({ stdout }) => stdout.trim());
  const found = await probe().catch(() => undefined);
  if (found) return realpath(found);
  await mkdir(prefix, { recursive: true });
  await writeFile(join(prefix, 'package.json'), '{"private":true}\n');
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `node@${major}`], {
    cwd: prefix,
    timeout: 300_000,
  });
  return realpath(await probe());
}

/** Starts a long-running command in its own process group, collecting its output. */
export function startIn(
  cwd: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => output, stop };
}

/** Waits until `check` returns a value, or fails naming `what` and the output so far. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  output: () => string,
  ms = 120_000,
) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${ms} ms; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
