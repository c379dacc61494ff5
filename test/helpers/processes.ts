import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { freePort } from '../../lib/free-port.ts';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';

const run = promisify(execFile);

/** Pids of every process below `root`, read from ps. */
export async function descendants(root: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=']);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits until none of `pids` is alive, or `limitMs` passed (a hang guard); returns those still alive. */
export async function waitForExit(pids: number[], limitMs = 10_000): Promise<number[]> {
  const until = Date.now() + limitMs;
  while (pids.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(alive);
}

export interface Started {
  child: ChildProcess;
  /** The server's base URL, read from its banner. */
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/**
 * Starts a command that runs looplab (e.g. `npm start`) in a process group of its own, as a terminal
 * or a service manager would, and resolves once its banner names the URL.
 */
export async function startLooplab(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd = process.cwd(),
): Promise<Started> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /looplab listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`${command} exited before it listened:\n${output}`)));
  });
  return { child, url, exited, output: () => output };
}

/**
 * Registers an `afterEach` that SIGKILLs whatever a case left running (a failed case stops before its
 * own clean-up), and returns the function a case calls with the pids it started.
 */
export function killLeftoversAfterEach(): (pids: number[]) => void {
  let leftovers: number[] = [];
  afterEach(async () => {
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitForExit(leftovers);
    leftovers = [];
  });
  return (pids) => {
    leftovers = pids;
  };
}

/** Whether a TCP connect to `port` on loopback is refused: nothing listens there any more. */
export const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/** Runs `server/main.ts` to its end with `env` added, and resolves with its exit code and everything it printed. */
export function runToEnd(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...typeScriptLoaderArgs(), 'server/main.ts'],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: stdout + stderr });
      },
    );
  });
}

/**
 * The environment of a `server/main.ts` that starts its own PostgreSQL (in `dataDir`, on a free port)
 * and its own upstream, and listens on any free port; `over` replaces any of it.
 */
export async function ownStackEnv(dataDir: string, over: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    PORT: '0',
    UPSTREAM_PORT: '0',
    PG_PORT: String(await freePort()),
    PG_DATA_DIR: dataDir,
    DATABASE_URL: '',
    UPSTREAM_URL: '',
    ...over,
  };
}

/** A port held by another listener until its server is closed: a start-up that wants it must refuse. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server };
}

/**
 * For a file of start-ups that must fail: a data directory of its own and a port held by another
 * listener, made before its tests and removed after them.
 */
export function startupScratch(): { dataDir: string; port: number } {
  const scratch = { dataDir: '', port: 0 };
  let held: Server | undefined;
  beforeAll(async () => {
    scratch.dataDir = await mkdtemp(join(tmpdir(), 'looplab-startup-'));
    const { port, server } = await holdPort();
    scratch.port = port;
    held = server;
  });
  afterAll(async () => {
    held?.close();
    await rm(scratch.dataDir, { recursive: true, force: true });
  });
  return scratch;
}
