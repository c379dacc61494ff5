import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunAs } from './postgres-user.ts';

export interface ClusterOptions {
  /** Directory holding `bin/`, `lib/` and `share/` of a PostgreSQL build. */
  binRoot: string;
  dataDir: string;
  port: number;
  user: string;
  password: string;
  /** Run the binaries as this account (looplab is root); otherwise as the current user. */
  runAs: RunAs | undefined;
  /** Extra `-c name=value` settings for the server. */
  settings: Record<string, string>;
}

export interface RunningCluster {
  readonly pid: number;
  /** Fast shutdown (SIGINT: running queries are cancelled, clients disconnected), escalating after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** A failure to start that the user can act on; `message` is one line that names the cause and the fix. */
export class ClusterError extends Error {
  override name = 'ClusterError';
}

/** C messages need no locale files, which minimal images lack. */
const ENV = { LC_ALL: 'C', LC_MESSAGES: 'C', PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

function spawnAs(options: ClusterOptions, binary: string, args: string[]): ChildProcess {
  const ids = options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {};
  return spawn(join(options.binRoot, 'bin', binary), args, { ...ids, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
}

function collectOutput(child: ChildProcess, lines: string[], onLine?: (line: string) => void): void {
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line.trim());
      if (lines.length > 40) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
}

export const isInitialised = (dataDir: string) => existsSync(join(dataDir, 'PG_VERSION'));

/** `initdb` with password authentication; the password travels in a file only the server account can read. */
export async function initialiseCluster(options: ClusterOptions): Promise<void> {
  const secretDir = await mkdtemp(join(tmpdir(), 'looplab-initdb-'));
  const pwfile = join(secretDir, 'password');
  try {
    await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
    if (options.runAs) {
      await chown(secretDir, options.runAs.uid, options.runAs.gid);
      await chown(pwfile, options.runAs.uid, options.runAs.gid);
    }
    const output: string[] = [];
    const initdb = spawnAs(options, 'initdb', [
      `--pgdata=${options.dataDir}`,
      '--auth=scram-sha-256',
      `--username=${options.user}`,
      `--pwfile=${pwfile}`,
      '--locale=C',
      '--encoding=UTF8',
    ]);
    collectOutput(initdb, output);
    const code = await new Promise<number | null>((resolve, reject) => {
      initdb.once('error', reject);
      initdb.once('exit', resolve);
    });
    if (code !== 0)
      throw new ClusterError(`initdb failed for ${options.dataDir} (exit ${code}): ${output.slice(-3).join(' | ')}`);
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

/** Reads which process holds a data directory, from the first line of its `postmaster.pid`. */
async function holderOf(dataDir: string): Promise<string> {
  const pid = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]?.trim();
  return pid ? ` (pid ${pid})` : '';
}

/** Turns PostgreSQL's start-up complaints into one line that names the cause and the fix. */
async function explainStartFailure(
  options: ClusterOptions,
  output: string[],
  code: number | null,
): Promise<ClusterError> {
  const text = output.join('\n');
  if (text.includes('lock file "postmaster.pid" already exists')) {
    return new ClusterError(
      `the PostgreSQL data directory ${options.dataDir} is in use by another ` +
        `PostgreSQL${await holderOf(options.dataDir)}, probably another looplab; stop it, or give this one its own ` +
        `PG_DATA_DIR and PG_PORT (and PORT, UPSTREAM_PORT)`,
    );
  }
  if (/could not bind .*Address already in use/.test(text)) {
    return new ClusterError(
      `port ${options.port} is already in use, so the embedded PostgreSQL cannot listen on it; choose another with PG_PORT`,
    );
  }
  return new ClusterError(`PostgreSQL exited during start-up (exit ${code}): ${output.slice(-3).join(' | ')}`);
}

const READY = 'database system is ready to accept connections';

/** Starts the server and resolves once it accepts connections. */
export async function startCluster(options: ClusterOptions, onLine?: (line: string) => void): Promise<RunningCluster> {
  const settings = Object.entries(options.settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const postgres = spawnAs(options, 'postgres', ['-D', options.dataDir, '-p', String(options.port), ...settings]);
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => postgres.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    postgres.once('error', reject);
    collectOutput(postgres, output, (line) => {
      onLine?.(line);
      if (line.includes(READY)) resolve();
    });
    void exited.then(async (code) => reject(await explainStartFailure(options, output, code)));
  });

  return {
    pid: postgres.pid ?? -1,
    async stop(graceMs = 10_000) {
      if (postgres.exitCode !== null || postgres.signalCode !== null) return;
      postgres.kill('SIGINT');
      // SIGQUIT is PostgreSQL's immediate shutdown: it still takes its children down with it.
      const timer = setTimeout(() => postgres.kill('SIGQUIT'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
