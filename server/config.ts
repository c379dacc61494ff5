import { availableParallelism } from 'node:os';
import type { LogLevel, VariableName } from '../lib/config-spec.ts';
import { ConfigError, readVariable, refuseRenamed, type Env } from '../lib/env.ts';

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
  readonly stallThresholdMs: number;
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

/**
 * Parses the environment into a frozen {@link Config}.
 * @throws ConfigError naming the variable and what it allows.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  refuseRenamed(env);
  const context = { cwd, cpus: availableParallelism() };
  const read = <N extends VariableName>(name: N) => readVariable(env, name, context);
  return Object.freeze({
    port: read('PORT'),
    host: read('HOST'),
    databaseUrl: read('DATABASE_URL'),
    embeddedPgPort: read('PG_PORT'),
    embeddedPgDataDir: read('PG_DATA_DIR'),
    upstreamUrl: read('UPSTREAM_URL'),
    upstreamPort: read('UPSTREAM_PORT'),
    cluster: read('CLUSTER'),
    dbPool: read('DB_POOL'),
    workers: read('WORKERS'),
    workerConcurrency: read('WORKER_CONCURRENCY'),
    workerDbPool: read('WORKER_DB_POOL'),
    uvThreadpoolSize: read('UV_THREADPOOL_SIZE'),
    workerQueue: read('WORKER_QUEUE'),
    dbQueue: read('DB_QUEUE'),
    upstreamTimeoutMs: read('UPSTREAM_TIMEOUT_MS'),
    requestTimeoutMs: read('REQUEST_TIMEOUT_MS'),
    shutdownGraceMs: read('SHUTDOWN_GRACE_MS'),
    headersTimeoutMs: read('HEADERS_TIMEOUT_MS'),
    keepAliveTimeoutMs: read('KEEP_ALIVE_TIMEOUT_MS'),
    logLevel: read('LOG_LEVEL'),
    shedLoopDelayMs: read('SHED_LOOP_DELAY_MS'),
    stallThresholdMs: read('STALL_THRESHOLD_MS'),
    stallBlamePort: read('STALL_BLAME_PORT'),
    workloadFiles: read('WORKLOADS'),
    queue: Object.freeze({
      enabled: read('QUEUE') === 'on',
      redisUrl: read('REDIS_URL'),
      workers: read('QUEUE_WORKERS'),
      concurrency: read('QUEUE_CONCURRENCY'),
      max: read('QUEUE_MAX'),
      keep: read('QUEUE_KEEP'),
      lockMs: read('QUEUE_LOCK_MS'),
      stalledMs: read('QUEUE_STALLED_MS'),
    }),
  });
}
