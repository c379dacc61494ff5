/**
 * Where stall blame's throughput cost comes from: the saturated loop of the cost table (bench-loop.ts) run
 * with each part of stall blame alone (bench-part-preload.ts: the heartbeat, the profiler, the profiler
 * rotated, all of it), in interleaved rounds whose order is rotated every round like bench.ts's. A
 * benchmark, not a test; compare the parts within one run only, as costs against that run's `off`:
 *
 *   npm run bench:stall:parts -- [rounds=20] [seconds=2] [parts=off,heartbeat,profiler,rotations,blame]
 *
 * The parts are listed in bench-part-preload.ts; `off` (the same preload file, starting nothing) is
 * always run, and `off2` runs it twice, an A/A pair that shows what the rounds' noise alone looks like.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { promisify } from 'node:util';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { meanInterval } from './bench-ci.ts';

const rounds = Number(process.argv[2] ?? 20);
const seconds = Number(process.argv[3] ?? 2);
const given = (process.argv[4] ?? 'off,heartbeat,profiler,rotations,blame').split(',');
const parts = given.includes('off') ? given : ['off', ...given];
const preload = new URL('./bench-part-preload.ts', import.meta.url).pathname;
const loop = new URL('./bench-loop.ts', import.meta.url).pathname;

/** Tasks per main-thread CPU ms of one bench-loop run with `part` started by the preload. */
async function run(part: string): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...typeScriptLoaderArgs(), '--import', preload, loop, String(seconds)],
    { env: { ...process.env, LOOPLAB_BENCH_PART: part === 'off2' ? 'off' : part } },
  );
  const { tasks, cpuMs } = JSON.parse(stdout) as { tasks: number; cpuMs: number };
  return tasks / cpuMs;
}

const byPart = new Map<string, number[]>(parts.map((part) => [part, []]));
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg()[0]?.toFixed(2)}`,
);
for (let round = 0; round < rounds; round += 1)
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[(round + i) % parts.length] as string;
    byPart.get(part)?.push(await run(part));
  }
const off = byPart.get('off') as number[];
console.log(
  `${rounds} interleaved rounds of ${seconds} s; throughput cost against off, mean (95% CI), per round paired`,
);
for (const part of parts) {
  const values = byPart.get(part) as number[];
  const { mean, low, high } = meanInterval(values.map((value, round) => 1 - value / (off[round] as number)));
  const perMs = values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    `${part.padEnd(15)} ${perMs.toFixed(2)} tasks per CPU ms   ${(mean * 100).toFixed(2)}% (${(low * 100).toFixed(2)}% .. ${(high * 100).toFixed(2)}%)`,
  );
}
console.log(`load average at the end ${loadavg()[0]?.toFixed(2)}`);
