import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { describeEnvironment } from '../loadtest/stack/environment.ts';
import { median } from '../loadtest/analyse/stats.ts';
import type { Environment } from '../loadtest/types.ts';
import type { OffloadCosts } from './offload-cost.ts';
import type { BenchOptions } from './options.ts';
import { type BenchTarget, type RoundsResult, warmupChunks } from './rounds.ts';

export interface BenchResults {
  command: string;
  options: BenchOptions;
  environment: Omit<Environment, 'server' | 'serverStartedByHarness'> & {
    /** 1-, 5- and 15-minute load average when the bench started: other work on the machine. */
    loadAverageAtStart: number[];
  };
  targets: Array<Omit<BenchTarget, 'url' | 'pid'> & { path: string }>;
  rounds: RoundsResult;
  offload: OffloadCosts | null;
}

export function benchEnvironment(startedAt: Date): BenchResults['environment'] {
  const { server: _server, serverStartedByHarness: _started, ...machine } = describeEnvironment(null, false, startedAt);
  return { ...machine, loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100) };
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** The Markdown table the lab notes quote (docs/lab-notes/): ratios first, then each target's req/s, then offload costs. */
export function renderBenchMarkdown(results: BenchResults): string {
  const { environment: env, options, rounds } = results;
  const lines = [
    `# looplab overhead bench`,
    '',
    `\`${results.command}\` — ${env.cpus}× ${env.cpuModel}, ${env.memoryGiB} GiB, ${env.platform}, Node ${env.node}, commit ${env.gitCommit?.slice(0, 10) ?? 'unknown'}, ` +
      `load average at start ${env.loadAverageAtStart.join(' / ')}; ${options.rounds} interleaved rounds × ` +
      `${options.duration} s, ${options.connections} connections (autocannon).`,
    '',
    '| comparison | req/s ratio (median) | spread (min–max) | per round | CPU/request ratio (median, spread) |',
    '|---|---:|---:|---|---:|',
    ...rounds.comparisons.map(
      (c) =>
        `| ${c.label} | **${fmt(c.ratio.median)}×** | ${fmt(c.ratio.min)}–${fmt(c.ratio.max)} | ${c.ratios.map((r) => fmt(r)).join(', ')} | ` +
        `${c.cpuRatio ? `${fmt(c.cpuRatio.median)}× (${fmt(c.cpuRatio.min)}–${fmt(c.cpuRatio.max)})` : '–'} |`,
    ),
    '',
    "req/s ratio: subject ÷ reference within each round. CPU/request ratio: the reference server's CPU time per " +
      "request ÷ the subject's (all threads, from /proc), so 1.00× means as cheap per request; it is the figure " +
      'other load on a shared machine disturbs least.',
    '',
    '| server | path | req/s (median of rounds) | p99 ms (median) | server CPU µs/request (median) | failures | generator CPU (max) |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...results.targets.map((t) => {
      const runs = rounds.runs[t.key] ?? [];
      return (
        `| ${t.label} | \`${t.path}\` | ${fmt(median(runs.map((r) => r.rps)), 0)} | ` +
        `${fmt(median(runs.map((r) => r.p99Ms)), 0)} | ` +
        `${fmt(median(runs.map((r) => r.serverCpuUsPerRequest ?? Number.NaN)), 0)} | ` +
        `${runs.reduce((n, r) => n + r.failures, 0)} | ${fmt(Math.max(...runs.map((r) => r.generatorCpu)))} |`
      );
    }),
    '',
    'A generator CPU near 1.00 means autocannon used a whole core and may itself be the limit for that server.',
    ...renderWarmup(results),
  ];
  const o = results.offload;
  if (o) {
    lines.push(
      '',
      `Offload cost per task (µs; ${o.tasks} calls one at a time unless noted, median of 5 interleaved rounds):`,
      '',
      '| path | µs per task |',
      '|---|---:|',
      `| \`hash\` sha256 × 1 on the event loop (the work itself) | ${fmt(o.workerPool.blockingUs, 1)} |`,
      `| same task through the piscina pool, round trip | ${fmt(o.workerPool.workerRoundTripUs, 1)} |`,
      `| same, with an AbortSignal per task | ${fmt(o.workerPool.workerRoundTripWithSignalUs, 1)} |`,
      `| same, 16 in flight on one thread (throughput) | ${fmt(o.workerPool.workerPipelinedUs, 1)} |`,
      `| **worker-pool overhead per task** (round trip − work) | **${fmt(o.workerPool.overheadUs, 1)}** |`,
      `| \`findWorld\` through the sync bridge (Atomics.wait) | ${fmt(o.syncBridge.bridgedQueryUs, 1)} |`,
      `| same query through synckit's createSyncFn | ${fmt(o.syncBridge.synckitQueryUs, 1)} |`,
      `| same query awaited on a 1-connection pool | ${fmt(o.syncBridge.directQueryUs, 1)} |`,
      `| **sync-bridge overhead per call** (looplab's / synckit's) | **${fmt(o.syncBridge.overheadUs, 1)}** / ${fmt(o.syncBridge.synckitOverheadUs, 1)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The warm-up, piece by piece: each server's CPU per request in each piece of its warm-up (the median over
 * its processes, with fresh servers every round), beside the measured runs' median. A last piece well above
 * the measured figure would mean the measured runs began before the process settled.
 */
function renderWarmup(results: BenchResults): string[] {
  const { rounds, options } = results;
  const pieces = warmupChunks(options.warmup);
  if (pieces.length === 0) return [];
  const at = (key: string, i: number) => median((rounds.warmup[key] ?? []).map((r) => r[i] ?? Number.NaN));
  return [
    '',
    `Warm-up of each server process, CPU µs/request per piece of ${pieces.join(' + ')} s ` +
      `(with fresh servers every round, the median over them), then the measured runs' median:`,
    '',
    `| server | path | ${pieces.map((_, i) => `warm-up ${i + 1}`).join(' | ')} | measured |`,
    `|---|---|${pieces.map(() => '---:').join('|')}|---:|`,
    ...results.targets.map(
      (t) =>
        `| ${t.label} | \`${t.path}\` | ${pieces.map((_, i) => fmt(at(t.key, i), 0)).join(' | ')} | ` +
        `${fmt(median((rounds.runs[t.key] ?? []).map((r) => r.serverCpuUsPerRequest ?? Number.NaN)), 0)} |`,
    ),
  ];
}

/** Writes bench.json and bench.md into `<out>/bench-<timestamp>/` and returns that folder. */
export async function writeBenchResults(results: BenchResults): Promise<string> {
  const dir = resolve(results.options.out, `bench-${results.environment.startedAt.replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, 'bench.md'), renderBenchMarkdown(results));
  return dir;
}
