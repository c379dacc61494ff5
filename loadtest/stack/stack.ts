import { dataPath } from '../../lib/data-dir.ts';
import { siblingFile } from '../../lib/loader-args.ts';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startChild, type ManagedChild } from '../../lib/child-process.ts';
import { startUpstream } from '../../upstream/launch.ts';
import { freePort } from '../../lib/free-port.ts';
import { waitForUrl } from './wait-for-url.ts';
import { runRedis } from './queue-redis.ts';
import type { QueueBackendName } from '../types.ts';

/** A server to load: where it is, and how to be done with it. */
export interface Target {
  readonly origin: string;
  /** The server's stall-blame endpoint (stall-blame/endpoint.ts), when it runs one. */
  readonly blameUrl?: string | undefined;
  stop(): Promise<void>;
}

/**
 * Produces a server per worker-pool size, process count, queue backend and tasks per worker thread
 * (WORKER_CONCURRENCY, which advise tries for wait-type work); undefined = the server's default.
 */
export interface TargetProvider {
  start(
    workers: number | undefined,
    processes?: number,
    queueBackend?: QueueBackendName,
    workerConcurrency?: number,
  ): Promise<Target>;
  close(): Promise<void>;
}

const SHARED_DATA_DIR = dataPath('postgres-loadtest');
/** Held (it holds the run's pid) by the run using the shared directory. */
const SHARED_LOCK = dataPath('postgres-loadtest.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Claims the shared directory with a lock file created atomically (O_EXCL), so two runs starting at
 * the same moment cannot both take it: PostgreSQL's own postmaster.pid appears only seconds later.
 * A lock left by a run that died is taken over.
 */
async function claimShared(): Promise<boolean> {
  await mkdir(dataPath(), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(SHARED_LOCK, String(process.pid), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(SHARED_LOCK, 'utf8').catch(() => ''));
      if (holder > 0 && isAlive(holder)) return false;
      await rm(SHARED_LOCK, { force: true });
    }
  }
  return false;
}

/**
 * The harness's database directory: the shared one (kept between runs, so no initdb each time), or a
 * throw-away one when another harness run is using the shared one right now.
 */
async function freeDataDir(): Promise<{ path: string; release(): Promise<void> }> {
  const releaseLock = () => rm(SHARED_LOCK, { force: true });
  if (await claimShared()) {
    // Also step aside for a PostgreSQL still running there without a lock (an older harness).
    const pidFile = await readFile(join(SHARED_DATA_DIR, 'postmaster.pid'), 'utf8').catch(() => '');
    const pid = Number(pidFile.split('\n')[0]);
    if (!(pid > 0 && isAlive(pid))) return { path: SHARED_DATA_DIR, release: releaseLock };
    await releaseLock();
  }
  const path = await mkdtemp(dataPath('postgres-loadtest-'));
  // With it go its `.location` pointer and the folder it was moved to, when root runs in a private directory.
  return { path, release: async () => (await loadLocalDatabase()).removeDataDir(path) };
}

/**
 * An already-running server: nothing is started or stopped. `start` waits for it to be ready, saying
 * so through `note`, and fails fast when nothing listens there.
 */
export function externalTarget(
  origin: string,
  note: (text: string) => void = () => {},
  blameUrl?: string,
): TargetProvider {
  return {
    async start() {
      await waitForUrl(origin, note);
      return { origin, blameUrl, stop: async () => {} };
    },
    close: async () => {},
  };
}

/**
 * Starts the embedded PostgreSQL and the upstream once, and a server process per worker-pool size,
 * each in a process of its own so the load generator never shares one with the server. Uses a data
 * directory of its own, so it can run beside `npm start`.
 */
export async function localStack(
  env: {
    databaseUrl?: string | undefined;
    upstreamUrl?: string | undefined;
    redisUrl?: string | undefined;
    workloadFiles?: readonly string[];
    queue?: boolean;
    stallThresholdMs?: number | undefined;
  } = {},
): Promise<TargetProvider> {
  // Queue mode's worker process and BullMQ connections run only when the run measures queue mode: an
  // idle process polling its backend would be one more neighbour on the cores the other modes share.
  const workloads: Record<string, string> = {
    ...(env.workloadFiles?.length ? { WORKLOADS: env.workloadFiles.join(',') } : {}),
    QUEUE: env.queue ? 'on' : 'off',
  };
  const db = await loadLocalDatabase();
  const children: ManagedChild[] = [];
  const redis = runRedis(env.redisUrl);
  const closeAll = async () => {
    await redis.stop().catch(() => {});
    for (const child of children.reverse()) await child.stop().catch(() => {});
  };
  try {
    let databaseUrl = env.databaseUrl;
    if (!databaseUrl) {
      const dataDir = await freeDataDir();
      const pg = await db.startEmbeddedPostgres({ port: await freePort(), dataDir: dataDir.path });
      children.push({
        ...pg,
        stop: async () => {
          await pg.stop();
          await dataDir.release();
        },
      });
      databaseUrl = pg.url;
    }
    let upstreamUrl = env.upstreamUrl;
    if (!upstreamUrl) {
      const upstream = await startUpstream(0, '127.0.0.1');
      children.push(upstream);
      upstreamUrl = upstream.url;
    }
    await db.migrate(databaseUrl);
    const dbUrl = databaseUrl;
    const upUrl = upstreamUrl;
    return {
      async start(workers, processes, queueBackend, workerConcurrency) {
        // A backend asked for by name is set either way: an inherited REDIS_URL must not turn "postgres" into Redis.
        const queueEnv: Record<string, string> =
          queueBackend === undefined ? {} : { REDIS_URL: queueBackend === 'redis' ? await redis.url() : '' };
        const server = await startChild(
          siblingFile(import.meta.url, '../../server/main.ts'),
          'looplab server',
          {
            PORT: '0',
            HOST: '127.0.0.1',
            DATABASE_URL: dbUrl,
            UPSTREAM_URL: upUrl,
            ...workloads,
            ...(workers ? { WORKERS: String(workers) } : {}),
            ...(processes ? { CLUSTER: String(processes) } : {}),
            ...(workerConcurrency ? { WORKER_CONCURRENCY: String(workerConcurrency) } : {}),
            ...queueEnv,
            // Stall blame on its own port, which the server names in its ready message.
            STALL_THRESHOLD_MS: String(env.stallThresholdMs ?? 0),
            STALL_BLAME_PORT: '0',
          },
          { quiet: true },
        );
        return { origin: server.url, blameUrl: server.blameUrl, stop: () => server.stop() };
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

export interface StackOptions {
  /** An already-running server: nothing is started, and `close` leaves it running. */
  readonly url?: string | undefined;
  /** Use this PostgreSQL instead of starting the embedded one (like `npm start`'s DATABASE_URL). */
  readonly databaseUrl?: string | undefined;
  /** Use this upstream instead of starting the bundled one (UPSTREAM_URL). */
  readonly upstreamUrl?: string | undefined;
  /** Workload files (absolute paths) the started server loads beside the built-ins (its WORKLOADS). */
  readonly workloadFiles?: readonly string[];
  /** Start the server with queue mode (QUEUE=on and its worker process); off unless the run measures it. */
  readonly queue?: boolean;
  /** The Redis for `--queue-backends redis` (REDIS_URL); without it the harness starts a redis-server when needed. */
  readonly redisUrl?: string | undefined;
  /** Told what is being waited for, when `url` is slow to answer. */
  readonly note?: (text: string) => void;
  /** Start looplab's server with stall blame, stalls being the loop this many ms late (STALL_THRESHOLD_MS); off when unset. */
  readonly stallThresholdMs?: number | undefined;
  /** With `url`: that server's stall-blame endpoint (a server started with the preload and LOOPLAB_BLAME_PORT). */
  readonly blameUrl?: string | undefined;
}

/** The servers to load: an existing one at `url`, or a stack of separate processes started for the run. */
export async function startStack(options: StackOptions = {}): Promise<TargetProvider> {
  if (options.url) return externalTarget(options.url, options.note, options.blameUrl);
  return localStack({
    databaseUrl: options.databaseUrl,
    upstreamUrl: options.upstreamUrl,
    workloadFiles: options.workloadFiles ?? [],
    queue: options.queue ?? false,
    redisUrl: options.redisUrl,
    stallThresholdMs: options.stallThresholdMs,
  });
}

/**
 * The embedded PostgreSQL (db/) and its migration, loaded when a run starts its own stack: a program that
 * imports the library to load a server it started itself (`runTarget`) never loads the database code or
 * its driver.
 */
export async function loadLocalDatabase() {
  const [{ startEmbeddedPostgres }, { migrate }, { removeDataDir }] = await Promise.all([
    import('../../db/embedded.ts'),
    import('../../db/migrate.ts'),
    import('../../db/relocated.ts'),
  ]);
  return { startEmbeddedPostgres, migrate, removeDataDir };
}
