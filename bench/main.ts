/**
 * `npm run bench`: looplab's plumbing against reference servers doing the same thing bare. Starts its
 * own PostgreSQL, upstream, looplab and reference servers, runs interleaved autocannon rounds, measures
 * the per-task cost of offloading, writes bench.json + bench.md, and stops everything it started.
 */
import { resolve } from 'node:path';
import { measureOffloadCosts } from './offload-cost.ts';
import { BENCH_USAGE, parseBenchArgs } from './options.ts';
import { benchEnvironment, renderBenchMarkdown, writeBenchResults, type BenchResults } from './report.ts';
import { runRounds, type BenchTarget, type Comparison } from './rounds.ts';
import { startBenchServers, type BenchServer } from './stack.ts';
import { REFERENCE_POOL } from './reference/reference-sql.ts';

const options = (() => {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}\n\n${BENCH_USAGE}`);
    process.exit(2);
  }
})();
if (options === 'help') {
  console.log(BENCH_USAGE);
  process.exit(0);
}

const environment = benchEnvironment(new Date());
const servers = await startBenchServers({
  dataDir: options.dataDir,
  ...(options.cpuProf
    ? { profiledEnv: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(options.cpuProf)}` } }
    : {}),
});
if (options.cpuProf) {
  console.log(
    `bench: CPU profiles go to ${resolve(options.cpuProf)} (CPU.<date>.<pid>.…): looplab pid ${servers.looplab.pid}, bare Hono pid ${servers.bareHono.pid}`,
  );
}
let stopping = false;
const stopAndExit = (code: number) => {
  if (stopping) process.exit(code);
  stopping = true;
  void servers.stop().finally(() => process.exit(code));
};
process.on('SIGINT', () => stopAndExit(130));
process.on('SIGTERM', () => stopAndExit(143));

try {
  const target = (key: string, label: string, server: BenchServer, path: string): BenchTarget & { path: string } => ({
    key,
    label,
    url: server.url + path,
    pid: server.pid,
    path,
  });
  const health = [
    target('raw-health', 'raw node:http', servers.rawHttp, '/health'),
    target('hono-health', 'bare Hono', servers.bareHono, '/health'),
    target('looplab-health', 'looplab', servers.looplab, '/health'),
  ];
  const db = [
    target('hono-db', `bare Hono + postgres.js (looplab's client, pool ${REFERENCE_POOL})`, servers.bareHono, '/db'),
    target('looplab-db', 'looplab', servers.looplab, '/db/async?queries=1'),
  ];
  const comparisons: Comparison[] = [
    { label: '`/health`: looplab ÷ bare Hono', subject: 'looplab-health', reference: 'hono-health' },
    { label: '`/db/async?queries=1`: looplab ÷ bare Hono + postgres.js', subject: 'looplab-db', reference: 'hono-db' },
    { label: '`/health`: bare Hono ÷ raw node:http (context)', subject: 'hono-health', reference: 'raw-health' },
  ];
  console.log(
    `bench: ${options.rounds} rounds × ${health.length + db.length} runs of ${options.duration} s, ${options.connections} connections`,
  );
  const rounds = await runRounds([health, db], comparisons, {
    rounds: options.rounds,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    connections: options.connections,
    onRun: (round, t, run) =>
      console.log(
        `  round ${round + 1} ${t.label.padEnd(34)} ${t.url.replace(/^http:\/\/[^/]+/, '').padEnd(22)} ` +
          `${run.rps.toFixed(0).padStart(7)} req/s  ${String(run.serverCpuUsPerRequest ?? '–').padStart(6)} µs ` +
          `CPU/req${run.failures ? `  ${run.failures} failures` : ''}`,
      ),
  });
  const offload =
    options.offloadTasks > 0
      ? await measureOffloadCosts({
          databaseUrl: servers.databaseUrl,
          upstreamUrl: servers.upstreamUrl,
          tasks: options.offloadTasks,
        })
      : null;
  const results: BenchResults = {
    command: ['npm run bench', ...process.argv.slice(2)].join(' '),
    options,
    environment,
    targets: [...health, ...db].map(({ url: _url, pid: _pid, ...t }) => t),
    rounds,
    offload,
  };
  const dir = await writeBenchResults(results);
  console.log(`\n${renderBenchMarkdown(results)}\nbench: wrote ${dir}/bench.json and bench.md`);
  stopAndExit(0);
} catch (err) {
  console.error(`bench: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  stopAndExit(1);
}
