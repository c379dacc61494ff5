import { resolve } from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { startChild, type ManagedChild } from '../server/processes/child-process.ts';
import { startUpstream } from '../upstream/launch.ts';
import { freePort } from './free-port.ts';

/** A server to load: where it is, and how to be done with it. */
export interface Target {
  readonly origin: string;
  stop(): Promise<void>;
}

/** Produces a server per worker-pool size (undefined = the server's default). */
export interface TargetProvider {
  start(workers: number | undefined): Promise<Target>;
  close(): Promise<void>;
}

/** An already-running server: nothing is started or stopped. */
export function externalTarget(origin: string): TargetProvider {
  return {
    start: async () => ({ origin, stop: async () => {} }),
    close: async () => {},
  };
}

/**
 * Starts the embedded PostgreSQL and the upstream once, and a server process per worker-pool size,
 * each in a process of its own so the load generator never shares one with the server. Uses a data
 * directory of its own, so it can run beside `npm start`.
 */
export async function localStack(env: { databaseUrl?: string | undefined; upstreamUrl?: string | undefined } = {}): Promise<TargetProvider> {
  const children: ManagedChild[] = [];
  const closeAll = async () => {
    for (const child of children.reverse()) await child.stop().catch(() => {});
  };
  try {
    let databaseUrl = env.databaseUrl;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ port: await freePort(), dataDir: resolve('.data/postgres-loadtest') });
      children.push(pg);
      databaseUrl = pg.url;
    }
    let upstreamUrl = env.upstreamUrl;
    if (!upstreamUrl) {
      const upstream = await startUpstream(0, '127.0.0.1');
      children.push(upstream);
      upstreamUrl = upstream.url;
    }
    await migrate(databaseUrl);
    const dbUrl = databaseUrl;
    const upUrl = upstreamUrl;
    return {
      async start(workers) {
        const server = await startChild(
          new URL('../server/main.ts', import.meta.url),
          'looplab server',
          { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: dbUrl, UPSTREAM_URL: upUrl, ...(workers ? { WORKERS: String(workers) } : {}) },
          { quiet: true },
        );
        return { origin: server.url, stop: () => server.stop() };
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
