import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A plain `node:http` server with one known blocking function per kind of stall: `blockFor` spins in
 * JavaScript for `ms` of CPU time (not of the clock: on a busy machine a stall that is mostly a wait for a
 * CPU is reported as such, and a clock-timed spin would be one), `slowDigest` waits in native code (`pbkdf2Sync`); `/async` only awaits; `/spin` does a fixed amount of
 * JavaScript (the benchmark's CPU-bound answer: unlike `blockFor` it takes longer when the profiler interrupts it).
 */
const SERVER = `import { createServer } from 'node:http';
import { pbkdf2Sync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

function blockFor(ms) {
  const start = process.cpuUsage();
  let spins = 0;
  for (let usedUs = 0; usedUs < ms * 1000; spins += 1) usedUs = process.cpuUsage(start).user + process.cpuUsage(start).system;
  return spins;
}

function slowDigest(iterations) {
  return pbkdf2Sync('password', 'salt', iterations, 32, 'sha256').toString('hex');
}

async function awaitFor(ms) {
  await sleep(ms);
  const parts = await Promise.all([1, 2, 3].map(async (n) => n * 2));
  return parts.length;
}

function spin(rounds) {
  let x = 0;
  for (let i = 0; i < rounds; i += 1) x = (x * 31 + i) % 1000003;
  return x;
}

const server = createServer(async function handle(req, res) {
  const url = new URL(req.url, 'http://fixture');
  const n = Number(url.searchParams.get('n') ?? 1);
  let result;
  if (url.pathname === '/block') result = blockFor(n);
  else if (url.pathname === '/hash') result = slowDigest(n);
  else if (url.pathname === '/async') result = await awaitFor(n);
  else if (url.pathname === '/spin') result = spin(n);
  else result = 'ok';
  res.end(JSON.stringify({ result }));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', function announce() {
  console.log('listening on ' + server.address().port);
});
`;

/** The functions that run while a request is served. */
export const REQUEST_FUNCTIONS = ['handle', 'blockFor', 'slowDigest', 'awaitFor', 'spin'];

/** Where the known functions are defined, 1-based. */
export const FIXTURE_LINES = { blockFor: 5, slowDigest: 12 } as const;

/** Writes the fixture server into `dir` as `server.mjs`; returns its path. */
export function writeBlameServer(dir: string): string {
  const path = join(dir, 'server.mjs');
  writeFileSync(path, SERVER);
  return path;
}

export interface FixtureProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** The preload, by absolute path. */
export const PRELOAD = new URL('../../stall-blame/preload.ts', import.meta.url).pathname;

/** Runs `node [nodeArgs] server.mjs` in `cwd` and resolves once it says which port it listens on. */
export async function startFixture(
  server: string,
  cwd: string,
  nodeArgs: string[],
  env: Record<string, string>,
): Promise<FixtureProcess> {
  const child = spawn(process.execPath, [...nodeArgs, server], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\d+)/.exec(output);
      if (match?.[1]) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`the fixture exited before it listened:\n${output}`)));
  });
  return { child, url, exited, output: () => output };
}
