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

export interface BenchServers {
  readonly rawHttp: BenchServer;
  readonly bareHono: BenchServer;
  readonly looplab: BenchServer;
  readonly databaseUrl: string;
  readonly upstreamUrl: string;
  /** Stops everything that was started, in reverse order. */
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Data directory of the bench's own embedded PostgreSQL. */
  dataDir: string;
  /** Extra environment for the looplab server only (e.g. WORKER_CONCURRENCY). */
  looplabEnv?: Record<string, string>;
  /** Environment for looplab and bare Hono alike (e.g. NODE_OPTIONS=--cpu-prof), to compare their profiles. */
  profiledEnv?: Record<string, string>;
}

/**
 * Starts the bench's own embedded PostgreSQL and upstream, then looplab and the reference servers,
 * each in a process of its own (the load generator shares none of them), all on the same database.
 */
export async function startBenchServers(options: BenchStackOptions): Promise<BenchServers> {
  const started: ManagedChild[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await child.stop().catch(() => {});
  };
  const start = async (child: Promise<ManagedChild>): Promise<BenchServer> => {
    const c = await child;
    started.push(c);
    return { url: c.url, pid: c.pid };
  };
  try {
    const databaseUrl = (
      await start(startEmbeddedPostgres({ port: await freePort(), dataDir: resolve(options.dataDir) }))
    ).url;
    const upstreamUrl = (await start(startUpstream(0, '127.0.0.1'))).url;
    await migrate(databaseUrl);
    const server = (file: string, name: string, env: Record<string, string>) =>
      start(
        startChild(new URL(file, import.meta.url), name, { PORT: '0', HOST: '127.0.0.1', ...env }, { quiet: true }),
      );
    const looplab = await server('../server/main.ts', 'looplab server', {
      DATABASE_URL: databaseUrl,
      UPSTREAM_URL: upstreamUrl,
      LOG_LEVEL: 'info',
      ...options.profiledEnv,
      ...options.looplabEnv,
    });
    const rawHttp = await server('./reference/raw-http.ts', 'raw node:http reference', {});
    const bareHono = await server('./reference/bare-hono.ts', 'bare Hono reference', {
      BENCH_DATABASE_URL: databaseUrl,
      ...options.profiledEnv,
    });
    return { rawHttp, bareHono, looplab, databaseUrl, upstreamUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
