/**
 * Every environment variable looplab's server reads, defined once: its parse kind, default, range and doc.
 * The loader (server/config.ts, through lib/env.ts), its error messages and docs/reference/configuration.md
 * are all derived from this table; no default or range is written anywhere else.
 */
import { STALL_BLAME_LIMITS } from '../stall-blame/limits.ts';

/** pino's levels, in order of severity: the values LOG_LEVEL takes. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a derived default may read: the machine's cores and the parsed value of another whole-number variable. */
export interface DefaultInputs {
  readonly cpus: number;
  /** Typed as a string to keep the table's type from depending on itself; the loader refuses a name that is not an int. */
  value(name: string): number;
}

/** A whole number in `min..max`; with `off`, 0 is also allowed and means the feature is off. */
export interface IntVariable {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  readonly off?: true;
  /** A number, or a function of other variables (then `defaultDoc` says it in words). */
  readonly default: number | ((inputs: DefaultInputs) => number);
  readonly defaultDoc?: string;
  readonly doc: string;
}

/** A URL with one of `protocols`; unset by default. With `asBase`, query and fragment are dropped, trailing slashes trimmed. */
export interface UrlVariable {
  readonly kind: 'url';
  readonly protocols: readonly string[];
  readonly asBase?: true;
  readonly doc: string;
}

/** One of a fixed list of words. */
export interface ChoiceVariable {
  readonly kind: 'choice';
  readonly choices: readonly string[];
  readonly default: string;
  readonly doc: string;
}

/** Free text (a host name). */
export interface TextVariable {
  readonly kind: 'text';
  readonly default: string;
  readonly doc: string;
}

/** A path, resolved against the directory the process was started in. */
export interface PathVariable {
  readonly kind: 'path';
  readonly default: string;
  readonly doc: string;
}

/** Comma-separated paths, resolved against the directory the user typed the command in; none by default. */
export interface PathListVariable {
  readonly kind: 'paths';
  readonly doc: string;
}

export type VariableSpec = IntVariable | UrlVariable | ChoiceVariable | TextVariable | PathVariable | PathListVariable;

/** Default sizes of the bounded queues: so many waiting tasks per thread or job slot. */
const QUEUE_PER_SLOT = 16;

export const CONFIG_VARIABLES = {
  PORT: { kind: 'int', min: 0, max: 65535, default: 3000, doc: 'port of the looplab server (0 = any free port)' },
  HOST: { kind: 'text', default: '127.0.0.1', doc: 'interface to bind' },
  DATABASE_URL: {
    kind: 'url',
    protocols: ['postgres:', 'postgresql:'],
    doc: 'URL of an existing PostgreSQL; when set, no embedded PostgreSQL is started',
  },
  PG_PORT: { kind: 'int', min: 1, max: 65535, default: 5433, doc: 'port of the embedded PostgreSQL' },
  PG_DATA_DIR: { kind: 'path', default: '.looplab/postgres', doc: 'data directory of the embedded PostgreSQL' },
  UPSTREAM_URL: {
    kind: 'url',
    protocols: ['http:', 'https:'],
    asBase: true,
    doc: 'base URL of the upstream; when set, the bundled upstream is not started',
  },
  UPSTREAM_PORT: {
    kind: 'int',
    min: 0,
    max: 65535,
    default: 3001,
    doc: 'port of the bundled upstream (0 = any free port)',
  },
  CLUSTER: {
    kind: 'int',
    min: 1,
    max: 64,
    default: 1,
    doc: 'server processes sharing the port through `node:cluster` (1 = a single process); every pool below is per process',
  },
  DB_POOL: { kind: 'int', min: 1, max: 100, default: 10, doc: "connections in the event-loop thread's async DB pool" },
  WORKERS: {
    kind: 'int',
    min: 1,
    max: 64,
    // The processes share the cores between them: N processes × (cores ÷ N) worker threads.
    default: ({ cpus, value }) => Math.max(1, Math.floor(cpus / value('CLUSTER'))),
    defaultDoc: 'CPU count ÷ `CLUSTER`, at least 1',
    doc: 'threads in the worker pool of `worker` mode, per process',
  },
  WORKER_CONCURRENCY: {
    kind: 'int',
    min: 1,
    max: 64,
    default: 1,
    doc: "tasks each worker thread runs at once (piscina's `concurrentTasksPerWorker`); above 1, a cancelled task stops inside the worker",
  },
  WORKER_DB_POOL: { kind: 'int', min: 1, max: 20, default: 4, doc: "connections in each worker thread's own DB pool" },
  UV_THREADPOOL_SIZE: {
    kind: 'int',
    min: 1,
    max: 1024,
    default: 4,
    doc: "libuv's thread pool, behind async `pbkdf2`/`scrypt`; read by Node itself, parsed here to validate and report it",
  },
  WORKER_QUEUE: {
    kind: 'int',
    min: 0,
    max: 10_000,
    // Sized from the worker count: enough that the default load test (20 connections) is not refused.
    default: ({ value }) => value('WORKERS') * QUEUE_PER_SLOT,
    defaultDoc: `${QUEUE_PER_SLOT} × \`WORKERS\``,
    doc: 'tasks that may wait for a worker thread; one more gets 503 + `Retry-After`',
  },
  DB_QUEUE: {
    kind: 'int',
    min: 0,
    max: 100_000,
    // At least twice the 500 queries one request may send, so a single legal request always fits.
    default: 1000,
    doc: 'queries that may wait for a connection of the async DB pool; one more gets 503',
  },
  UPSTREAM_TIMEOUT_MS: {
    kind: 'int',
    min: 100,
    max: 60_000,
    default: 15_000,
    doc: 'limit per outbound upstream call; past it, 504',
  },
  REQUEST_TIMEOUT_MS: {
    kind: 'int',
    min: 100,
    max: 300_000,
    default: 30_000,
    doc: 'deadline of every workload request; past it, 504 and async/worker work is cancelled',
  },
  SHUTDOWN_GRACE_MS: {
    kind: 'int',
    min: 0,
    max: 120_000,
    default: 10_000,
    doc: 'on SIGTERM/SIGINT, how long in-flight requests get to finish',
  },
  HEADERS_TIMEOUT_MS: {
    kind: 'int',
    min: 1000,
    max: 120_000,
    default: 10_000,
    doc: 'a client must send its request headers within this, or gets 408',
  },
  KEEP_ALIVE_TIMEOUT_MS: {
    kind: 'int',
    min: 0,
    max: 120_000,
    default: 5000,
    doc: 'idle keep-alive connections are closed after this',
  },
  SHED_LOOP_DELAY_MS: {
    kind: 'int',
    min: 10,
    max: 60_000,
    off: true,
    default: 0,
    doc: 'workload requests get 503 `UNDER_PRESSURE` for a while after the event loop stalled longer than this',
  },
  STALL_THRESHOLD_MS: {
    kind: 'int',
    // The stall-blame library's own range: the server, the preload and the harness take the same one.
    min: STALL_BLAME_LIMITS.stallThresholdMs[0],
    max: STALL_BLAME_LIMITS.stallThresholdMs[1],
    off: true,
    default: 0,
    doc:
      'the stall threshold: a stall is the event loop more than this many ms late; when set, stall blame names the ' +
      'code that stalls it, its report served on 127.0.0.1 on a port of its own, printed at start (the harness sets ' +
      'it)',
  },
  STALL_BLAME_PORT: {
    kind: 'int',
    min: 0,
    max: 65535,
    default: 0,
    doc: "port of the stall-blame report (0 = any free port); with `CLUSTER` above 1, of the primary's list of every process's report",
  },
  LOG_LEVEL: {
    kind: 'choice',
    choices: LOG_LEVELS,
    default: 'info',
    doc: 'pino JSON logs on stdout; one line per request at `debug`, 5xx details at `error`',
  },
  WORKLOADS: {
    kind: 'paths',
    doc: 'comma-separated workload files to serve beside the built-ins, relative to the directory the command was typed in',
  },
  QUEUE: {
    kind: 'choice',
    choices: ['on', 'off'],
    default: 'on',
    doc: '`off`: no queue mode, no BullMQ connections, no queue worker processes',
  },
  REDIS_URL: {
    kind: 'url',
    protocols: ['redis:', 'rediss:'],
    doc: 'when set, queue mode keeps its jobs in this Redis instead of the PostgreSQL database',
  },
  QUEUE_WORKERS: {
    kind: 'int',
    min: 0,
    max: 16,
    default: 1,
    doc: 'queue worker processes the server starts and restarts (0 = none: run `npm run worker` elsewhere)',
  },
  QUEUE_CONCURRENCY: { kind: 'int', min: 1, max: 64, default: 1, doc: 'jobs each queue worker process runs at once' },
  QUEUE_MAX: {
    kind: 'int',
    min: 0,
    max: 100_000,
    default: ({ value }) =>
      Math.max(QUEUE_PER_SLOT, value('QUEUE_WORKERS') * value('QUEUE_CONCURRENCY') * QUEUE_PER_SLOT),
    defaultDoc: `${QUEUE_PER_SLOT} × \`QUEUE_WORKERS\` × \`QUEUE_CONCURRENCY\`, at least ${QUEUE_PER_SLOT}`,
    doc: 'jobs one server may have in the queue, waiting or running; one more gets 503 + `Retry-After`',
  },
  QUEUE_KEEP: {
    kind: 'int',
    min: 1,
    max: 100_000,
    default: 1000,
    doc: 'completed and failed jobs kept in the backend (each also at most an hour)',
  },
  QUEUE_LOCK_MS: {
    kind: 'int',
    min: 1000,
    max: 600_000,
    default: 5000,
    doc: 'BullMQ `lockDuration`: a job whose worker stopped renewing its lock this long ago has stalled',
  },
  QUEUE_STALLED_MS: {
    kind: 'int',
    min: 1000,
    max: 600_000,
    default: 5000,
    doc: 'BullMQ `stalledInterval`: how often queue workers put stalled jobs back in the queue',
  },
} as const satisfies Record<string, VariableSpec>;

export type VariableName = keyof typeof CONFIG_VARIABLES;

/**
 * Old names, each with the variable that replaced it. Set, one stops start-up with a line naming the new
 * name: a renamed variable is never read, nor ignored, silently.
 */
export const RENAMED_VARIABLES: Readonly<Record<string, VariableName>> = {
  STALL_BLAME_MS: 'STALL_THRESHOLD_MS',
};
