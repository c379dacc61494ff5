/**
 * What stall blame and the stall gate cost a process: interleaved rounds of the same work without either
 * (`off`), with stall blame's preload (`blame`) and with the gate's (`gate`), their order rotated every
 * round (off-blame-gate, blame-gate-off, …) so that a drift in the machine's load falls on all of them.
 * A benchmark, not a test; the cost table the docs publish is its last lines:
 *
 *   npm run bench:stall -- [rounds=10] [seconds=5] [parts=idle,loop,delay,http]
 *
 * The preload's own variables (LOOPLAB_BLAME_INTERVAL_US, LOOPLAB_BLAME_HEARTBEAT_MS, …) pass through to
 * the processes, so other settings can be compared with the defaults.
 *
 * - `loop`, the throughput cost: work per CPU second of the main thread of a saturated loop of its own
 *   (bench-loop.ts: back-to-back tasks, no client). A saturated loop does at most that much work per
 *   second, so 1 − on/off is the throughput it loses, and unlike req/s it does not swing with whatever
 *   else takes the machine's CPUs. Each round gives one paired ratio; the table gives their mean and the
 *   upper end of its 95% confidence interval (bench-ci.ts), the figure the ≤ 3% goal is about.
 * - `delay`, the loop delay p99 added to an idle and to a lightly loaded loop (bench-delay.ts: 1 ms of
 *   work every 20 ms), paired per round the same way; the goal is ≤ 1 ms.
 * - `idle`, the CPU an idle process spends on it; `http`, main-thread CPU per answer of a plain node:http
 *   server under autocannon (the load generator shares the machine, so batching and req/s move with it),
 *   and the profile rotations stall blame reported.
 */
import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PRELOAD, startFixture, writeBlameServer, type FixtureProcess } from '../test/helpers/blame-fixture.ts';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { readPreloadConfig } from './env.ts';
import { resolveOptions } from './blame.ts';
import { meanInterval } from './bench-ci.ts';
import { GATE_STALL_THRESHOLD_MS } from './limits.ts';
import type { BlameReport } from './report.ts';

const rounds = Number(process.argv[2] ?? 10);
const seconds = Number(process.argv[3] ?? 5);
const parts = new Set((process.argv[4] ?? 'idle,loop,delay,http').split(','));
/** `/`: an empty answer, the worst case (the cost is per unit of time and the answer is nearly free); `/spin`: ≈ 1 ms of JavaScript. */
const PATHS = ['/', '/spin?n=300000'];
const CONNECTIONS = 10;

const VARIANTS = ['off', 'blame', 'gate'] as const;
type Variant = (typeof VARIANTS)[number];
type ByVariant<T> = Record<Variant, T>;
const ON: readonly Exclude<Variant, 'off'>[] = ['blame', 'gate'];
const GATE_PRELOAD = new URL('./gate/preload.ts', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'looplab-blame-bench-'));
const server = writeBlameServer(dir);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node's flags for a variant: the same loader for all, so only the preload differs. */
function nodeArgs(variant: Variant): string[] {
  const preload = variant === 'blame' ? PRELOAD : variant === 'gate' ? GATE_PRELOAD : undefined;
  return [...typeScriptLoaderArgs(), ...(preload ? ['--import', preload] : [])];
}

/** A variant's environment: blame writes its report where it is read; the gate is its own root, with no config. */
function variantEnv(variant: Variant, out: string): Record<string, string> {
  const { LOOPLAB_GATE_DIR: _dir, LOOPLAB_GATE_CONFIG: _config, ...env } = process.env;
  return {
    ...(env as Record<string, string>),
    ...(variant === 'blame' ? { LOOPLAB_BLAME_OUT: out } : {}),
  };
}

/** CPU time (user + system) in ms from a /proc stat file (Linux; clock ticks, USER_HZ = 100); null elsewhere. */
function statMs(path: string): number | null {
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface Cpu {
  /** The main thread (the event loop) alone. */
  main: number | null;
  /** Every thread of the process. */
  all: number | null;
}

const cpuOf = (pid: number): Cpu => ({
  main: statMs(`/proc/${pid}/task/${pid}/stat`),
  all: statMs(`/proc/${pid}/stat`),
});
const spent = (before: number | null, after: number | null, per: number) =>
  before === null || after === null ? null : (after - before) / per;

async function withFixture<T>(variant: Variant, out: string, use: (fixture: FixtureProcess) => Promise<T>): Promise<T> {
  const fixture = await startFixture(server, dir, nodeArgs(variant), variantEnv(variant, out));
  try {
    return await use(fixture);
  } finally {
    fixture.child.kill('SIGTERM');
    await fixture.exited;
  }
}

/** Runs `script` under a variant and returns the JSON line it prints. */
async function runScript<T>(variant: Variant, script: string, args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeArgs(variant), new URL(script, import.meta.url).pathname, ...args],
    { env: variantEnv(variant, join(dir, `${variant}.json`)) },
  );
  return JSON.parse(stdout) as T;
}

/** Rounds of rotated order; `run` measures one variant; returns the runs by variant, round by round. */
async function interleave<T>(run: (variant: Variant, round: number) => Promise<T>): Promise<ByVariant<T>[]> {
  const all: ByVariant<T>[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const runs: Partial<ByVariant<T>> = {};
    for (let i = 0; i < VARIANTS.length; i += 1) {
      const variant = VARIANTS[(round + i) % VARIANTS.length] as Variant;
      runs[variant] = await run(variant, round);
    }
    all.push(runs as ByVariant<T>);
  }
  return all;
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const ms = (value: number) => `${value.toFixed(2)} ms`;
/** `mean (95% CI upper bound)` of per-round figures. */
const withBound = (values: number[], show: (v: number) => string) => {
  const { mean, high } = meanInterval(values);
  return `${show(mean)} (≤ ${Number.isFinite(high) ? show(high) : 'n/a'})`;
};
const fixed = (value: number | null, digits = 0) => (value === null ? 'n/a' : value.toFixed(digits));

/** The cost table's cells, filled by the parts that ran. */
const table: Record<Exclude<Variant, 'off'>, Record<string, string>> = { blame: {}, gate: {} };

/** CPU ms per second of an idle server (past start-up), per variant. */
async function idleCost(): Promise<void> {
  const runs = await interleave((variant) =>
    withFixture(variant, join(dir, 'idle.json'), async (fixture) => {
      await sleep(1000);
      const before = cpuOf(fixture.child.pid as number);
      await sleep(seconds * 1000);
      const after = cpuOf(fixture.child.pid as number);
      return { main: spent(before.main, after.main, seconds), all: spent(before.all, after.all, seconds) };
    }),
  );
  const med = (pick: (cpu: Cpu) => number | null, variant: Variant) => {
    const values = runs.map((r) => pick(r[variant])).filter((value): value is number => value !== null);
    return values.length ? median(values).toFixed(1) : 'n/a';
  };
  console.log(
    `idle server CPU per second (median of ${rounds}): ` +
      `${VARIANTS.map((v) => `${v} ${med((c) => c.all, v)} ms (main thread ${med((c) => c.main, v)} ms)`).join(', ')}\n`,
  );
  for (const v of ON) table[v]['idle CPU per second'] = `${med((c) => c.all, v)} ms`;
}

async function loopCost(): Promise<void> {
  const runs = await interleave((variant) =>
    runScript<{ tasks: number; cpuMs: number }>(variant, './bench-loop.ts', [String(seconds)]).then(
      ({ tasks, cpuMs }) => tasks / cpuMs,
    ),
  );
  runs.forEach((r, round) =>
    console.log(
      `saturated loop round ${round + 1}: tasks per main-thread CPU ms ${VARIANTS.map((v) => `${v} ${r[v].toFixed(2)}`).join(', ')}`,
    ),
  );
  for (const v of ON) {
    const costs = runs.map((r) => 1 - r[v] / r.off);
    console.log(`saturated loop, ${v}: throughput cost, mean (95% CI upper bound) ${withBound(costs, pct)}`);
    table[v]['throughput cost, saturated loop'] = withBound(costs, pct);
  }
  console.log('');
}

async function delayCost(load: 'idle' | 'light'): Promise<void> {
  const runs = await interleave((variant) =>
    runScript<{ p99Ms: number }>(variant, './bench-delay.ts', [String(seconds), load]).then(({ p99Ms }) => p99Ms),
  );
  runs.forEach((r, round) =>
    console.log(
      `${load} loop round ${round + 1}: loop delay p99 ${VARIANTS.map((v) => `${v} ${ms(r[v])}`).join(', ')}`,
    ),
  );
  for (const v of ON) {
    const added = runs.map((r) => r[v] - r.off);
    console.log(`${load} loop, ${v}: loop delay p99 added, mean (95% CI upper bound) ${withBound(added, ms)}`);
    table[v][`loop delay p99 added, ${load === 'idle' ? 'idle' : 'light load'}`] = withBound(added, ms);
  }
  console.log('');
}

interface Run {
  rps: number;
  /** CPU ms per 1000 answers. */
  main: number | null;
  all: number | null;
}

function measure(path: string, variant: Variant, out: string): Promise<Run> {
  return withFixture(variant, out, async (fixture) => {
    await autocannon({ url: fixture.url + path, connections: CONNECTIONS, duration: 1 }); // warm-up, unmeasured
    const pid = fixture.child.pid as number;
    const before = cpuOf(pid);
    const result = await autocannon({ url: fixture.url + path, connections: CONNECTIONS, duration: seconds });
    const after = cpuOf(pid);
    const thousands = result.requests.total / 1000;
    return {
      rps: result.requests.average,
      main: spent(before.main, after.main, thousands),
      all: spent(before.all, after.all, thousands),
    };
  });
}

async function httpCost(path: string): Promise<void> {
  const rotations: BlameReport['profiler'][] = [];
  const runs = await interleave(async (variant, round) => {
    const out = join(dir, `blame-${round}.json`);
    const run = await measure(path, variant, out);
    if (variant === 'blame') rotations.push((JSON.parse(readFileSync(out, 'utf8')) as BlameReport).profiler);
    return run;
  });
  runs.forEach((r, round) =>
    console.log(
      `${path} round ${round + 1}: ` +
        `${VARIANTS.map((v) => `${v} ${r[v].rps.toFixed(0)} req/s, main-thread CPU per 1000 answers ${fixed(r[v].main)} ms`).join('; ')}`,
    ),
  );
  for (const v of ON) {
    const costs = runs
      .map((r) => (r[v].main !== null && r.off.main ? r[v].main / r.off.main - 1 : null))
      .filter((c): c is number => c !== null);
    console.log(`${path}, ${v}: main-thread CPU per answer added, mean (95% CI upper bound) ${withBound(costs, pct)}`);
  }
  console.log(
    `${path}: blame's profile rotations: mean ${median(rotations.map((r) => r.totalMs / Math.max(1, r.rotations))).toFixed(2)} ms (median over runs), ` +
      `longest ${Math.max(...rotations.map((r) => r.maxMs)).toFixed(1)} ms\n`,
  );
}

const settings = resolveOptions(readPreloadConfig(process.env).options);
// The gate's record.ts resolves its settings from its threshold alone, as here.
const gateSettings = resolveOptions({ stallThresholdMs: GATE_STALL_THRESHOLD_MS });
const machine = `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const startLoad = load();
console.log(`${machine}, load average ${startLoad}`);
console.log(
  `blame: sampling every ${settings.samplingIntervalUs} µs, heartbeat ${settings.heartbeatMs} ms, threshold ${settings.stallThresholdMs} ms; ` +
    `gate: sampling every ${gateSettings.samplingIntervalUs} µs, heartbeat ${gateSettings.heartbeatMs} ms, threshold ${gateSettings.stallThresholdMs} ms; ` +
    `${rounds} rounds of ${seconds} s, the order of off, blame and gate rotated each round\n`,
);
if (parts.has('idle')) await idleCost();
if (parts.has('loop')) await loopCost();
if (parts.has('delay')) {
  await delayCost('idle');
  await delayCost('light');
}
for (const path of parts.has('http') ? PATHS : []) await httpCost(path);

const columns = [...new Set(ON.flatMap((v) => Object.keys(table[v])))];
if (columns.length > 0) {
  console.log(`Cost table: mean over ${rounds} interleaved rounds (upper bound of its 95% confidence interval)`);
  console.log(`${machine}; load average ${startLoad} at the start, ${load()} at the end\n`);
  console.log(`| preload | ${columns.join(' | ')} |`);
  console.log(`| --- | ${columns.map(() => '---:').join(' | ')} |`);
  for (const v of ON)
    console.log(
      `| ${v === 'blame' ? 'stall blame' : 'stall gate'} | ${columns.map((c) => table[v][c] ?? '').join(' | ')} |`,
    );
}
rmSync(dir, { recursive: true, force: true });
