/**
 * What stall blame costs a server: interleaved rounds against the test fixture (a plain node:http server)
 * without and with the preload, in alternating order (off-on, on-off, …) so that a drift in the machine's
 * load falls on both. A benchmark, not a test:
 *
 *   node --import tsx stall-blame/bench.ts [rounds=6] [seconds=5] [parts=idle,loop,http]
 *
 * The preload's own variables (LOOPLAB_BLAME_INTERVAL_US, LOOPLAB_BLAME_HEARTBEAT_MS, …) pass through to
 * the "on" server, so other settings can be compared with the defaults.
 *
 * The figure for throughput is work per CPU second of the main thread: an event loop that is saturated
 * does at most that much work per second, so its on/off ratio is the throughput cost, and unlike req/s it
 * does not swing with whatever else takes the machine's CPUs. `loop` measures it on a saturated loop of
 * its own (bench-loop.ts: back-to-back tasks, no client), `http` as main-thread CPU per answer under
 * autocannon (which runs on the same machine, so the server's batching and req/s move with the load).
 * The process's CPU (all threads: V8's sampler thread too) is the cost to the machine.
 */
import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PRELOAD, startFixture, writeBlameServer, type FixtureProcess } from '../test/helpers/blame-fixture.ts';
import { readPreloadConfig } from './env.ts';
import { resolveOptions } from './blame.ts';
import type { BlameReport } from './report.ts';

const rounds = Number(process.argv[2] ?? 6);
const seconds = Number(process.argv[3] ?? 5);
const parts = new Set((process.argv[4] ?? 'idle,loop,http').split(','));
/** `/`: an empty answer, the worst case (the cost is per unit of time and the answer is nearly free); `/spin`: ≈ 1 ms of JavaScript. */
const PATHS = ['/', '/spin?n=300000'];
const CONNECTIONS = 10;

const dir = mkdtempSync(join(tmpdir(), 'looplab-blame-bench-'));
const server = writeBlameServer(dir);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

async function withFixture<T>(blame: boolean, out: string, use: (fixture: FixtureProcess) => Promise<T>): Promise<T> {
  const fixture = await startFixture(
    server,
    dir,
    blame ? ['--import', PRELOAD] : [],
    blame ? { LOOPLAB_BLAME_OUT: out } : {},
  );
  try {
    return await use(fixture);
  } finally {
    fixture.child.kill('SIGTERM');
    await fixture.exited;
  }
}

interface Run {
  rps: number;
  /** CPU ms per 1000 answers. */
  main: number | null;
  all: number | null;
}

function measure(path: string, blame: boolean, out: string): Promise<Run> {
  return withFixture(blame, out, async (fixture) => {
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

const spread = (values: number[]) =>
  values.length === 0
    ? 'n/a'
    : `median ${median(values).toFixed(3)} (range ${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)})`;
const ratio = (on: number | null, off: number | null) => (on === null || off === null || off === 0 ? null : on / off);
const fixed = (value: number | null, digits = 0) => (value === null ? 'n/a' : value.toFixed(digits));

/** Rounds of alternating order; `run` measures one server; returns the runs by setting, round by round. */
async function interleave<T>(run: (blame: boolean, round: number) => Promise<T>): Promise<{ on: T; off: T }[]> {
  const all: { on: T; off: T }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const runs: Partial<Record<'on' | 'off', T>> = {};
    for (const blame of round % 2 === 0 ? [false, true] : [true, false])
      runs[blame ? 'on' : 'off'] = await run(blame, round);
    all.push(runs as { on: T; off: T });
  }
  return all;
}

/** CPU ms per second of an idle server (past start-up), without and with the preload. */
async function idleCost(): Promise<void> {
  const runs = await interleave((blame) =>
    withFixture(blame, join(dir, 'idle.json'), async (fixture) => {
      await sleep(1000);
      const before = cpuOf(fixture.child.pid as number);
      await sleep(seconds * 1000);
      const after = cpuOf(fixture.child.pid as number);
      return { main: spent(before.main, after.main, seconds), all: spent(before.all, after.all, seconds) };
    }),
  );
  const med = (pick: (run: { on: Cpu; off: Cpu }) => number | null) => {
    const values = runs.map(pick).filter((value): value is number => value !== null);
    return values.length ? median(values).toFixed(1) : 'n/a';
  };
  console.log(
    `idle server CPU per second (median of ${rounds}): off ${med((r) => r.off.all)} ms, ` +
      `on ${med((r) => r.on.all)} ms, of which the main thread ${med((r) => r.on.main)} ms\n`,
  );
}

/** Tasks per main-thread CPU ms of a saturated loop (bench-loop.ts), and per wall ms. */
async function loopRun(blame: boolean): Promise<{ perCpuMs: number; perWallMs: number }> {
  const script = new URL('./bench-loop.ts', import.meta.url).pathname;
  const env = { ...process.env, ...(blame ? { LOOPLAB_BLAME_OUT: join(dir, 'loop.json') } : {}) };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...(blame ? ['--import', PRELOAD] : []), script, String(seconds)],
    { env },
  );
  const { tasks, cpuMs, wallMs } = JSON.parse(stdout) as { tasks: number; cpuMs: number; wallMs: number };
  return { perCpuMs: tasks / cpuMs, perWallMs: tasks / wallMs };
}

async function loopCost(): Promise<void> {
  const runs = await interleave(loopRun);
  runs.forEach(({ on, off }, round) =>
    console.log(
      `saturated loop round ${round + 1}: tasks per main-thread CPU ms off ${off.perCpuMs.toFixed(2)}, on ${on.perCpuMs.toFixed(2)}`,
    ),
  );
  console.log(
    `saturated loop: tasks per main-thread CPU second on/off ${spread(runs.map(({ on, off }) => on.perCpuMs / off.perCpuMs))}  ← throughput kept`,
  );
  console.log(
    `saturated loop: tasks per wall second on/off ${spread(runs.map(({ on, off }) => on.perWallMs / off.perWallMs))}\n`,
  );
}

const settings = resolveOptions(readPreloadConfig(process.env).options);
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `blame on: sampling every ${settings.samplingIntervalUs} µs, heartbeat ${settings.heartbeatMs} ms, threshold ${settings.stallThresholdMs} ms; ` +
    `${rounds} rounds per path, ${CONNECTIONS} connections, ${seconds} s each after 1 s warm-up; off and on alternate in order\n`,
);
if (parts.has('idle')) await idleCost();
if (parts.has('loop')) await loopCost();
for (const path of parts.has('http') ? PATHS : []) {
  const rotations: BlameReport['profiler'][] = [];
  const runs = await interleave(async (blame, round) => {
    const out = join(dir, `blame-${round}.json`);
    const run = await measure(path, blame, out);
    if (blame) rotations.push((JSON.parse(readFileSync(out, 'utf8')) as BlameReport).profiler);
    return run;
  });
  runs.forEach(({ on, off }, round) =>
    console.log(
      `${path} round ${round + 1}: req/s off ${off.rps.toFixed(0)}, on ${on.rps.toFixed(0)}; ` +
        `main-thread CPU per 1000 answers off ${fixed(off.main)} ms, on ${fixed(on.main)} ms; all threads off ${fixed(off.all)} ms, on ${fixed(on.all)} ms`,
    ),
  );
  const ratios = (pick: (run: Run) => number | null) =>
    runs.map(({ on, off }) => ratio(pick(on), pick(off))).filter((value): value is number => value !== null);
  console.log(
    `${path}: main-thread CPU per answer on/off ${spread(ratios((r) => r.main))}  ← the throughput cost of a saturated loop`,
  );
  console.log(
    `${path}: all-thread CPU per answer on/off ${spread(ratios((r) => r.all))}; req/s on/off ${spread(ratios((r) => r.rps))}`,
  );
  console.log(
    `${path}: profile rotations: mean ${median(rotations.map((r) => r.totalMs / Math.max(1, r.rotations))).toFixed(2)} ms (median over runs), ` +
      `longest ${Math.max(...rotations.map((r) => r.maxMs)).toFixed(1)} ms\n`,
  );
}
console.log(
  `load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
rmSync(dir, { recursive: true, force: true });
