import { parseArgs } from 'node:util';
import { type Flags, parseArgsConfig, renderFlagsHelp } from '../lib/flags.ts';

/** What `npm run bench` does. */
export interface BenchOptions {
  rounds: number;
  /** Measured seconds per autocannon run. */
  duration: number;
  /** Seconds of load per target before its first measured run on a new server, in measured pieces. */
  warmup: number;
  connections: number;
  /** Calls per offload-cost figure; 0 skips that part. */
  offloadTasks: number;
  /** Results go to `<out>/bench-<timestamp>/`. */
  out: string;
  /** Data directory of the bench's own embedded PostgreSQL. */
  dataDir: string;
  /** Write a V8 CPU profile of the looplab server into this directory (node --cpu-prof). */
  cpuProf: string | undefined;
  /** Start new server processes for every round instead of keeping one set through the run. */
  freshServers: boolean;
}

/** `looplab bench`'s flags, each defined once: the parser, `--help`, the defaults and the reference page read them. */
export const BENCH_FLAGS = {
  rounds: { type: 'string', value: 'N', default: 5, range: { min: 1, max: 50 }, doc: 'interleaved A/B rounds' },
  duration: {
    type: 'string',
    value: 'S',
    default: 4,
    range: { min: 1, max: 60 },
    doc: 'measured seconds per run',
  },
  warmup: {
    type: 'string',
    value: 'S',
    // The report's warm-up table shows each server's CPU per request settling (or not) over these seconds.
    default: 6,
    range: { min: 0, max: 60 },
    doc: 'seconds of load per server before its first measured run, in measured 2 s pieces',
  },
  connections: {
    type: 'string',
    value: 'N',
    default: 50,
    range: { min: 1, max: 1000 },
    doc: 'autocannon connections',
  },
  'offload-tasks': {
    type: 'string',
    value: 'N',
    default: 2000,
    range: { min: 0, max: 100_000 },
    doc: 'calls per offload-cost figure, 0 = skip',
  },
  out: { type: 'string', value: 'DIR', default: 'results', doc: 'bench-<timestamp>/ goes below DIR' },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    default: '.looplab/pg-bench',
    doc: "the bench's embedded PostgreSQL data",
  },
  'cpu-prof': { type: 'string', value: 'DIR', doc: 'write CPU profiles of looplab and bare Hono into DIR' },
  'fresh-servers': {
    type: 'boolean',
    doc: 'new server processes every round (each warmed up), instead of one set through the run',
  },
  help: { type: 'boolean', doc: 'this text' },
} as const satisfies Flags;

const F = BENCH_FLAGS;
export const BENCH_DEFAULTS: BenchOptions = {
  rounds: F.rounds.default,
  duration: F.duration.default,
  warmup: F.warmup.default,
  connections: F.connections.default,
  offloadTasks: F['offload-tasks'].default,
  out: F.out.default,
  dataDir: F['data-dir'].default,
  cpuProf: undefined,
  freshServers: false,
};

export const BENCH_USAGE = `npm run bench -- [options]        (looplab bench [options])
${renderFlagsHelp(BENCH_FLAGS)}`;

/** The numeric flags, whose values are checked against their range. */
const BENCH_NUMBERS = {
  rounds: F.rounds,
  duration: F.duration,
  warmup: F.warmup,
  connections: F.connections,
  'offload-tasks': F['offload-tasks'],
};

function int(raw: string | undefined, name: keyof typeof BENCH_NUMBERS): number {
  const { default: fallback, range } = BENCH_NUMBERS[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < range.min || value > range.max)
    throw new Error(`--${name} must be a whole number from ${range.min} to ${range.max}, got "${raw}"`);
  return value;
}

/** Parses argv (without node and script); throws with a message naming the option. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({ args: [...argv], options: parseArgsConfig(BENCH_FLAGS), strict: true });
  const text = (name: keyof typeof F) => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  if (values['help']) return 'help';
  const d = BENCH_DEFAULTS;
  return {
    rounds: int(text('rounds'), 'rounds'),
    duration: int(text('duration'), 'duration'),
    warmup: int(text('warmup'), 'warmup'),
    connections: int(text('connections'), 'connections'),
    offloadTasks: int(text('offload-tasks'), 'offload-tasks'),
    out: text('out') ?? d.out,
    dataDir: text('data-dir') ?? d.dataDir,
    cpuProf: text('cpu-prof'),
    freshServers: values['fresh-servers'] === true,
  };
}
