/**
 * What stall blame costs a server in throughput: interleaved rounds of autocannon against the test
 * fixture (a plain node:http server) without and with the preload, in alternating order (off-on, on-off,
 * …) so that a drift in the machine's load falls on both. A benchmark, not a test:
 *
 *   node --import tsx stall-blame/bench.ts [rounds=4] [seconds=8]
 */
import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRELOAD, startFixture, writeBlameServer } from '../test/helpers/blame-fixture.ts';
import type { BlameReport } from './report.ts';

const rounds = Number(process.argv[2] ?? 4);
const seconds = Number(process.argv[3] ?? 8);
const PATHS = ['/', '/block?n=2'];
const CONNECTIONS = 10;

const dir = mkdtempSync(join(tmpdir(), 'looplab-blame-bench-'));
const server = writeBlameServer(dir);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** CPU time (user + system, all threads) the process has used, in ms, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100 on Linux
  } catch {
    return null;
  }
}

interface Run {
  rps: number;
  /** Server CPU ms per 1000 answers: less sensitive than req/s to other processes taking the CPU. */
  cpuPerK: number | null;
}

async function measure(path: string, blame: boolean, round: number): Promise<Run> {
  const out = join(dir, `blame-${round}.json`);
  const fixture = await startFixture(server, dir, blame ? ['--import', PRELOAD] : [], blame ? { LOOPLAB_BLAME_OUT: out } : {});
  try {
    await autocannon({ url: fixture.url + path, connections: CONNECTIONS, duration: 1 }); // warm-up, unmeasured
    const pid = fixture.child.pid as number;
    const before = cpuMs(pid);
    const result = await autocannon({ url: fixture.url + path, connections: CONNECTIONS, duration: seconds });
    const after = cpuMs(pid);
    const cpuPerK = before === null || after === null ? null : ((after - before) / result.requests.total) * 1000;
    return { rps: result.requests.average, cpuPerK };
  } finally {
    fixture.child.kill('SIGTERM');
    await fixture.exited;
  }
}

/** CPU ms per second of an idle server, without and with the preload, alternating, `rounds` times each. */
async function idleCost(): Promise<void> {
  const perSecond: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const blame of round % 2 === 0 ? [false, true] : [true, false]) {
      const fixture = await startFixture(server, dir, blame ? ['--import', PRELOAD] : [], blame ? { LOOPLAB_BLAME_OUT: join(dir, 'idle.json') } : {});
      try {
        await new Promise((resolve) => setTimeout(resolve, 1000)); // past start-up
        const before = cpuMs(fixture.child.pid as number);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        const after = cpuMs(fixture.child.pid as number);
        if (before !== null && after !== null) perSecond[blame ? 'on' : 'off'].push((after - before) / seconds);
      } finally {
        fixture.child.kill('SIGTERM');
        await fixture.exited;
      }
    }
  }
  if (perSecond.on.length === 0) return;
  console.log(`idle server CPU per second (median of ${rounds}): off ${median(perSecond.off).toFixed(1)} ms, on ${median(perSecond.on).toFixed(1)} ms\n`);
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${rounds} rounds per path, ${CONNECTIONS} connections, ${seconds} s each after 1 s warm-up; off and on alternate in order\n`);
await idleCost();
for (const path of PATHS) {
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const rotationsMax: number[] = [];
  const rotationsMean: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [false, true] : [true, false];
    const runs: Partial<Record<'on' | 'off', Run>> = {};
    for (const blame of order) {
      runs[blame ? 'on' : 'off'] = await measure(path, blame, round);
      if (blame) {
        const { profiler } = JSON.parse(readFileSync(join(dir, `blame-${round}.json`), 'utf8')) as BlameReport;
        rotationsMax.push(profiler.maxMs);
        rotationsMean.push(profiler.totalMs / Math.max(1, profiler.rotations));
      }
    }
    const { on, off } = runs as Record<'on' | 'off', Run>;
    ratios.push(on.rps / off.rps);
    const cpu = on.cpuPerK !== null && off.cpuPerK !== null ? on.cpuPerK / off.cpuPerK : null;
    if (cpu !== null) cpuRatios.push(cpu);
    console.log(
      `${path} round ${round + 1}: off ${off.rps.toFixed(0)} req/s, on ${on.rps.toFixed(0)} req/s, on/off ${(on.rps / off.rps).toFixed(3)}` +
        (cpu === null ? '' : `; server CPU per 1000 answers off ${off.cpuPerK?.toFixed(0)} ms, on ${on.cpuPerK?.toFixed(0)} ms, on/off ${cpu.toFixed(3)}`),
    );
  }
  const spread = (values: number[]) =>
    `median ${median(values).toFixed(3)} (range ${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)})`;
  console.log(`${path}: throughput on/off ${spread(ratios)}${cpuRatios.length ? `; CPU per answer on/off ${spread(cpuRatios)}` : ''}`);
  console.log(`${path}: profile rotations: mean ${median(rotationsMean).toFixed(2)} ms (median over runs), longest ${Math.max(...rotationsMax).toFixed(1)} ms\n`);
}
console.log(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
