import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { freePort } from '../lib/free-port.ts';
import { startChild, type ManagedChild } from '../lib/child-process.ts';
import { startUpstream } from '../upstream/launch.ts';

/** A server of the comparison: where it listens, and its process (for its CPU time). */
export interface BenchServer {
  readonly url: string;
  readonly pid: number;
}

/** The bench's own database and upstream, started once and shared by every round's servers. */
export interface BenchBackends {
  readonly databaseUrl: string;
  readonly upstreamUrl: string;
  stop(): Promise<void>;
}

/** The HTTP servers the bench loads: looplab (twice) and the references, each a process of its own. */
export interface BenchHttpServers {
  readonly rawHttp: BenchServer;
  readonly bareHono: BenchServer;
  readonly looplab: BenchServer;
  /** A second looplab process, the same code and settings: the A/A row, the bench's own noise. */
  readonly looplabAgain: BenchServer;
  /** Stops them all, in reverse order. */
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Extra environment for the looplab server only (e.g. WORKER_CONCURRENCY). */
  looplabEnv?: Record<string, string>;
  /** Environment for looplab and bare Hono alike (e.g. NODE_OPTIONS=--cpu-prof), to compare their profiles. */
  profiledEnv?: Record<string, string>;
}

/** Stops what `started` holds, last started first; a failure to stop one does not keep the others running. */
async function stopAll(started: readonly ManagedChild[]): Promise<void> {
  for (const child of [...started].reverse()) await child.stop().catch(() => {});
}

/** Starts the bench's own embedded PostgreSQL (migrated) and upstream. */
export async function startBenchBackends(dataDir: string): Promise<BenchBackends> {
  const started: ManagedChild[] = [];
  try {
    const database = await startEmbeddedPostgres({ port: await freePort(), dataDir: resolve(dataDir) });
    started.push(database);
    const upstream = await startUpstream(0, '127.0.0.1');
    started.push(upstream);
    await migrate(database.url);
    return { databaseUrl: database.url, upstreamUrl: upstream.url, stop: () => stopAll(started) };
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}

/**
 * Starts looplab (twice: the A/A row) and the reference servers, each in a process of its own (the load
 * generator shares none of them), all on the bench's database: one set through a run, or a new set
 * every round with `--fresh-servers` (bench/main.ts).
 */
export async function startBenchHttpServers(
  backends: Pick<BenchBackends, 'databaseUrl' | 'upstreamUrl'>,
  options: BenchStackOptions = {},
): Promise<BenchHttpServers> {
  const started: ManagedChild[] = [];
  const server = async (file: string, name: string, env: Record<string, string>): Promise<BenchServer> => {
    const child = await startChild(
      new URL(file, import.meta.url),
      name,
      { PORT: '0', HOST: '127.0.0.1', ...env },
      { quiet: true },
    );
    started.push(child);
    return { url: child.url, pid: child.pid };
  };
  try {
    const looplabEnv = {
      DATABASE_URL: backends.databaseUrl,
      UPSTREAM_URL: backends.upstreamUrl,
      LOG_LEVEL: 'info',
      ...options.profiledEnv,
      ...options.looplabEnv,
    };
    const looplab = await server('../server/main.ts', 'looplab server', looplabEnv);
    const looplabAgain = await server('../server/main.ts', 'looplab server (A/A)', looplabEnv);
    const rawHttp = await server('./reference/raw-http.ts', 'raw node:http reference', {});
    const bareHono = await server('./reference/bare-hono.ts', 'bare Hono reference', {
      BENCH_DATABASE_URL: backends.databaseUrl,
      ...options.profiledEnv,
    });
    return { rawHttp, bareHono, looplab, looplabAgain, stop: () => stopAll(started) };
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}
