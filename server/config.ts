import { DATA_DIR } from '../lib/data-dir.ts';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, readDependencyUrls, readInt, readUrl, type Env } from '../lib/env.ts';
import { LOG_LEVELS, type LogLevel } from './observation/logger.ts';

export { ConfigError };

/** Everything looplab reads from the environment, parsed and validated once. */
export interface Config {
  /** Port the looplab server listens on (0 = any free port). */
  readonly port: number;
  readonly host: string;
  /** When set, this PostgreSQL is used and no embedded server is started. */
  readonly databaseUrl: string | undefined;
  /** Port and data directory of the embedded PostgreSQL (used only without DATABASE_URL). */
  readonly embeddedPgPort: number;
  readonly embeddedPgDataDir: string;
  /** When set, this upstream is called and the bundled one is not started. */
  readonly upstreamUrl: string | undefined;
  /** Port of the bundled upstream when `npm start` launches it (0 = any free port). */
  readonly upstreamPort: number;
  /**
   * Server processes sharing the port through `node:cluster` (1 = no cluster: one process, as before).
   * Every pool size below is per process.
   */
  readonly cluster: number;
  /** Connections in the event-loop thread's async DB pool. */
  readonly dbPool: number;
  /** Threads in the piscina pool used by `worker` mode (per process). */
  readonly workers: number;
  /** Tasks each worker thread runs at once (piscina's concurrentTasksPerWorker). */
  readonly workerConcurrency: number;
  /** Connections in each worker thread's own DB pool. */
  readonly workerDbPool: number;
  /** libuv's thread pool size. Node reads it itself; it is parsed here to validate and report it. */
  readonly uvThreadpoolSize: number;
  /** Tasks that may wait for a worker thread before `worker` requests are refused with 503. */
  readonly workerQueue: number;
  /** Queries that may wait for a connection of the async DB pool before `db` requests get 503. */
  readonly dbQueue: number;
  /** Per-call limit on an outbound upstream call; past it, 504. */
  readonly upstreamTimeoutMs: number;
  /** Deadline of every workload request; past it, 504 and the work is abandoned where it can be. */
  readonly requestTimeoutMs: number;
  /** After SIGTERM/SIGINT, how long in-flight requests get to finish. */
  readonly shutdownGraceMs: number;
  /** A client must send its request headers within this time, or gets 408. */
  readonly headersTimeoutMs: number;
  /** Idle keep-alive connections are closed after this time. */
  readonly keepAliveTimeoutMs: number;
  readonly logLevel: LogLevel;
  /** Shed workload requests (503) after an event-loop stall longer than this, ms; 0 = off. */
  readonly shedLoopDelayMs: number;
  /** Stall blame (stall-blame/) on the main thread: a stall is the loop this many ms late; 0 = off. */
  readonly stallBlameMs: number;
  /** Port of the stall-blame report on 127.0.0.1 (0 = any free port, announced at start). */
  readonly stallBlamePort: number;
  /** Workload files to load beside the built-ins, as absolute paths (WORKLOADS, resolved against the cwd). */
  readonly workloadFiles: readonly string[];
  /** `queue` mode: BullMQ on PostgreSQL (default) or Redis, and its worker processes. */
  readonly queue: QueueConfig;
}

/** The QUEUE_* variables and REDIS_URL (server/queue/ documents how each is used). */
export interface QueueConfig {
  /** QUEUE=off: no `/:workload/queue` routes, no BullMQ connections, no worker processes. */
  readonly enabled: boolean;
  /** When set, BullMQ keeps its jobs in this Redis; otherwise in the looplab PostgreSQL database. */
  readonly redisUrl: string | undefined;
  /** Queue worker processes the server starts and supervises (0 = none: workers run elsewhere). */
  readonly workers: number;
  /** Jobs each queue worker process runs at once. */
  readonly concurrency: number;
  /** Jobs one server may have in the queue (waiting or running) before it answers 503. */
  readonly max: number;
  /** Completed (and failed) jobs kept in the backend; older ones are removed as new ones finish. */
  readonly keep: number;
  /** BullMQ lockDuration: a job whose worker stopped renewing its lock this long ago has stalled. */
  readonly lockMs: number;
  /** BullMQ stalledInterval: how often workers move stalled jobs back to the queue. */
  readonly stalledMs: number;
}

/** Documentation of every variable, shown by `--help`-style output and mirrored in the README. */
export const CONFIG_VARIABLES = {
  PORT: 'port of the looplab server, 0..65535 (default 3000)',
  HOST: 'interface to bind (default 127.0.0.1)',
  DATABASE_URL: 'postgres:// URL of an existing server; when set, no embedded PostgreSQL is started',
  PG_PORT: 'port of the embedded PostgreSQL, 1..65535 (default 5433)',
  PG_DATA_DIR: 'data directory of the embedded PostgreSQL (default .looplab/postgres)',
  UPSTREAM_URL: 'http(s):// base URL of the upstream; when set, the bundled upstream is not started',
  UPSTREAM_PORT: 'port of the bundled upstream, 0..65535 (default 3001)',
  CLUSTER:
    'server processes sharing the port (node:cluster), 1..64 (default 1: a single process); every pool below is per process',
  DB_POOL: 'connections in the async DB pool, 1..100 (default 10)',
  WORKERS: 'worker threads for worker mode, 1..64 (default: CPU count ÷ CLUSTER, at least 1)',
  WORKER_CONCURRENCY:
    'tasks each worker thread runs at once, 1..64 (default 1: one task per thread; above 1, cancelled tasks stop inside the worker)',
  WORKER_DB_POOL: "connections in each worker thread's DB pool, 1..20 (default 4)",
  UV_THREADPOOL_SIZE: 'libuv thread pool size used by async crypto, 1..1024 (default 4; read by Node itself)',
  WORKER_QUEUE: 'tasks waiting for a worker before 503, 0..10000 (default: 16 per worker)',
  DB_QUEUE: 'queries waiting for an async-pool connection before 503, 0..100000 (default 1000)',
  UPSTREAM_TIMEOUT_MS: 'limit per upstream call before 504, 100..60000 (default 15000)',
  REQUEST_TIMEOUT_MS: 'deadline of a workload request before 504, 100..300000 (default 30000)',
  SHUTDOWN_GRACE_MS: 'time in-flight requests get to finish on shutdown, 0..120000 (default 10000)',
  HEADERS_TIMEOUT_MS: 'time a client has to send its headers before 408, 1000..120000 (default 10000)',
  KEEP_ALIVE_TIMEOUT_MS: 'idle keep-alive connections are closed after, 0..120000 (default 5000)',
  SHED_LOOP_DELAY_MS:
    'refuse workload requests with 503 after an event-loop stall longer than this, 0 (off, default) or 10..60000',
  STALL_BLAME_MS:
    'name the code that stalls the event loop (stall blame): a stall is the loop this many ms late; 0 (off, default) or 2..60000',
  STALL_BLAME_PORT:
    'port of the stall-blame report on 127.0.0.1, its own server, 0..65535 (default 0: any free port, printed at start)',
  LOG_LEVEL: `${LOG_LEVELS.join(' | ')} (default info; one line per request at debug)`,
  WORKLOADS:
    'comma-separated paths of workload files to serve beside the built-ins, relative to the directory npm (or node) was started in (default none)',
  QUEUE: 'on (default) | off: queue mode, its BullMQ connections and its worker processes',
  REDIS_URL: 'redis(s):// URL; when set, queue mode keeps its jobs in this Redis instead of the PostgreSQL database',
  QUEUE_WORKERS:
    'queue worker processes the server starts, 0..16 (default 1; 0 = none, run `npm run worker` elsewhere)',
  QUEUE_CONCURRENCY: 'jobs each queue worker process runs at once, 1..64 (default 1)',
  QUEUE_MAX:
    'jobs one server may have in the queue (waiting or running) before 503, 0..100000 (default: 16 per worker slot, at least 16)',
  QUEUE_KEEP: 'completed and failed jobs kept in the backend (also at most an hour old), 1..100000 (default 1000)',
  QUEUE_LOCK_MS:
    'a queue job whose worker stopped renewing its lock this long ago is stalled, 1000..600000 (default 5000)',
  QUEUE_STALLED_MS: 'how often queue workers move stalled jobs back to the queue, 1000..600000 (default 5000)',
} as const;

function readShedThreshold(env: Env): number {
  const value = readInt(env, 'SHED_LOOP_DELAY_MS', 0, 0, 60_000);
  if (value > 0 && value < 10)
    throw new ConfigError(`SHED_LOOP_DELAY_MS must be 0 (off) or a whole number from 10 to 60000, got ${value}`);
  return value;
}

function readStallBlame(env: Env): number {
  const value = readInt(env, 'STALL_BLAME_MS', 0, 0, 60_000);
  if (value === 1)
    throw new ConfigError(`STALL_BLAME_MS must be 0 (off) or a whole number from 2 to 60000, got ${value}`);
  return value;
}

function readWorkloadFiles(env: Env, cwd: string): readonly string[] {
  const raw = env['WORKLOADS'];
  if (raw === undefined || raw.trim() === '') return Object.freeze([]);
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw new ConfigError(`WORKLOADS must be a comma-separated list of file paths, got an empty entry in "${raw}"`);
  // `npm --prefix <repo> start` runs in the repo; INIT_CWD is where the user typed the command, which
  // is what a relative path in their command line means.
  const base = env['INIT_CWD'] || cwd;
  return Object.freeze(items.map((item) => resolve(base, item)));
}

function readQueue(env: Env): QueueConfig {
  const raw = env['QUEUE'];
  if (raw !== undefined && raw !== '' && raw !== 'on' && raw !== 'off')
    throw new ConfigError(`QUEUE must be on or off, got "${raw}"`);
  const workers = readInt(env, 'QUEUE_WORKERS', 1, 0, 16);
  const concurrency = readInt(env, 'QUEUE_CONCURRENCY', 1, 1, 64);
  return Object.freeze({
    enabled: raw !== 'off',
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    workers,
    concurrency,
    max: readInt(env, 'QUEUE_MAX', Math.max(16, workers * concurrency * 16), 0, 100_000),
    keep: readInt(env, 'QUEUE_KEEP', 1000, 1, 100_000),
    lockMs: readInt(env, 'QUEUE_LOCK_MS', 5000, 1000, 600_000),
    stalledMs: readInt(env, 'QUEUE_STALLED_MS', 5000, 1000, 600_000),
  });
}

function readLogLevel(env: Env): LogLevel {
  const raw = env['LOG_LEVEL'];
  if (raw === undefined || raw === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw as LogLevel;
}

/**
 * Parses the environment into a frozen {@link Config}.
 * @throws ConfigError naming the variable and what it allows.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const cpus = availableParallelism();
  const cluster = readInt(env, 'CLUSTER', 1, 1, 64);
  // By default the processes share the cores between them: N processes × (cores ÷ N) workers.
  const workers = readInt(env, 'WORKERS', Math.max(1, Math.floor(cpus / cluster)), 1, 64);
  const dependencies = readDependencyUrls(env);
  return Object.freeze({
    port: readInt(env, 'PORT', 3000, 0, 65535),
    host: env['HOST'] || '127.0.0.1',
    databaseUrl: dependencies.databaseUrl,
    embeddedPgPort: readInt(env, 'PG_PORT', 5433, 1, 65535),
    embeddedPgDataDir: resolve(cwd, env['PG_DATA_DIR'] || `${DATA_DIR}/postgres`),
    upstreamUrl: dependencies.upstreamUrl,
    upstreamPort: readInt(env, 'UPSTREAM_PORT', 3001, 0, 65535),
    cluster,
    dbPool: readInt(env, 'DB_POOL', 10, 1, 100),
    workers,
    workerConcurrency: readInt(env, 'WORKER_CONCURRENCY', 1, 1, 64),
    workerDbPool: readInt(env, 'WORKER_DB_POOL', 4, 1, 20),
    uvThreadpoolSize: readInt(env, 'UV_THREADPOOL_SIZE', 4, 1, 1024),
    // Sized from the worker count: enough that the default load test (20 connections) is not refused.
    workerQueue: readInt(env, 'WORKER_QUEUE', workers * 16, 0, 10_000),
    // At least twice the 500 queries one request may send, so a single legal request always fits.
    dbQueue: readInt(env, 'DB_QUEUE', 1000, 0, 100_000),
    upstreamTimeoutMs: readInt(env, 'UPSTREAM_TIMEOUT_MS', 15_000, 100, 60_000),
    requestTimeoutMs: readInt(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 300_000),
    shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    headersTimeoutMs: readInt(env, 'HEADERS_TIMEOUT_MS', 10_000, 1000, 120_000),
    keepAliveTimeoutMs: readInt(env, 'KEEP_ALIVE_TIMEOUT_MS', 5000, 0, 120_000),
    logLevel: readLogLevel(env),
    shedLoopDelayMs: readShedThreshold(env),
    stallBlameMs: readStallBlame(env),
    stallBlamePort: readInt(env, 'STALL_BLAME_PORT', 0, 0, 65535),
    workloadFiles: readWorkloadFiles(env, cwd),
    queue: readQueue(env),
  });
}
