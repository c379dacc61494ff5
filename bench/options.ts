import { parseArgs } from 'node:util';

/** What `npm run bench` does; the defaults finish in about two and a half minutes. */
export interface BenchOptions {
  rounds: number;
  /** Measured seconds per autocannon run. */
  duration: number;
  /** Unmeasured seconds per target before the first round. */
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
}

export const BENCH_DEFAULTS: BenchOptions = {
  rounds: 5,
  duration: 4,
  warmup: 2,
  connections: 50,
  offloadTasks: 2000,
  out: 'results',
  dataDir: '.looplab/pg-bench',
  cpuProf: undefined,
};

export const BENCH_USAGE = `npm run bench -- [options]
  --rounds N         interleaved A/B rounds (default ${BENCH_DEFAULTS.rounds}, 1..50)
  --duration S       measured seconds per run (default ${BENCH_DEFAULTS.duration}, 1..60)
  --warmup S         unmeasured seconds per server before round 1 (default ${BENCH_DEFAULTS.warmup}, 0..60)
  --connections N    autocannon connections (default ${BENCH_DEFAULTS.connections}, 1..1000)
  --offload-tasks N  calls per offload-cost figure, 0 = skip (default ${BENCH_DEFAULTS.offloadTasks}, 0..100000)
  --out DIR          results/bench-<timestamp>/ goes below DIR (default ${BENCH_DEFAULTS.out})
  --data-dir DIR     the bench's embedded PostgreSQL data (default ${BENCH_DEFAULTS.dataDir})
  --cpu-prof DIR     write CPU profiles of looplab and bare Hono into DIR (Node ≥ 22)`;

function int(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** Parses argv (without node and script); throws with a message naming the option. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'offload-tasks': { type: 'string' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const d = BENCH_DEFAULTS;
  return {
    rounds: int(values.rounds, 'rounds', d.rounds, 1, 50),
    duration: int(values.duration, 'duration', d.duration, 1, 60),
    warmup: int(values.warmup, 'warmup', d.warmup, 0, 60),
    connections: int(values.connections, 'connections', d.connections, 1, 1000),
    offloadTasks: int(values['offload-tasks'], 'offload-tasks', d.offloadTasks, 0, 100_000),
    out: values.out ?? d.out,
    dataDir: values['data-dir'] ?? d.dataDir,
    cpuProf: values['cpu-prof'],
  };
}
