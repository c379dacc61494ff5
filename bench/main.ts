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
import { type BenchHttpServers, type BenchServer, startBenchBackends, startBenchHttpServers } from './stack.ts';
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
const backends = await startBenchBackends(options.dataDir);
const profiledEnv = options.cpuProf
  ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(options.cpuProf)}` }
  : undefined;
/** This round's servers; the previous round's are stopped first. */
let servers: BenchHttpServers | undefined;
let stopping = false;
const stopAndExit = (code: number) => {
  if (stopping) process.exit(code);
  stopping = true;
  void (servers?.stop() ?? Promise.resolve()).then(() => backends.stop()).finally(() => process.exit(code));
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
  const health = (s: BenchHttpServers) => [
    target('raw-health', 'raw node:http', s.rawHttp, '/health'),
    target('hono-health', 'bare Hono', s.bareHono, '/health'),
    target('looplab-health', 'looplab', s.looplab, '/health'),
  ];
  const db = (s: BenchHttpServers) => [
    target('hono-db', `bare Hono + postgres.js (looplab's client, pool ${REFERENCE_POOL})`, s.bareHono, '/db'),
    target('looplab-db', 'looplab', s.looplab, '/db/async?queries=1'),
    target('looplab-again-db', 'looplab, a second process (A/A)', s.looplabAgain, '/db/async?queries=1'),
  ];
  // The same processes every round by default: a long-running server is what the figures are about, and a
  // fresh looplab process was still getting cheaper per request at the end of its warm-up
  // (docs/lab-notes/2026-12-08-bench-4.md). `--fresh-servers` starts new ones every round instead, so the
  // median spans several processes of each side; the A/A row shows how far two processes fall apart.
  const serversFor = async (round: number) => {
    if (!servers || options.freshServers) {
      await servers?.stop();
      servers = await startBenchHttpServers(backends, profiledEnv ? { profiledEnv } : {});
      if (options.cpuProf)
        console.log(
          `bench: round ${round + 1}: CPU profiles go to ${resolve(options.cpuProf)} (CPU.<date>.<pid>.…): ` +
            `looplab pid ${servers.looplab.pid}, bare Hono pid ${servers.bareHono.pid}`,
        );
    }
    const groups = [health(servers), db(servers)];
    if (round === 0)
      console.log(
        `bench: ${options.rounds} rounds × ${groups.flat().length} runs of ${options.duration} s, ` +
          `${options.connections} connections${options.freshServers ? ', fresh servers each round' : ''}`,
      );
    return groups;
  };
  const comparisons: Comparison[] = [
    { label: '`/health`: looplab ÷ bare Hono', subject: 'looplab-health', reference: 'hono-health' },
    { label: '`/db/async?queries=1`: looplab ÷ bare Hono + postgres.js', subject: 'looplab-db', reference: 'hono-db' },
    { label: '`/health`: bare Hono ÷ raw node:http (context)', subject: 'hono-health', reference: 'raw-health' },
    {
      label: "`/db/async?queries=1`: looplab ÷ looplab, a second process (A/A: the bench's own noise)",
      subject: 'looplab-db',
      reference: 'looplab-again-db',
    },
  ];
  const rounds = await runRounds(serversFor, comparisons, {
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
          databaseUrl: backends.databaseUrl,
          upstreamUrl: backends.upstreamUrl,
          tasks: options.offloadTasks,
        })
      : null;
  const results: BenchResults = {
    command: ['npm run bench', ...process.argv.slice(2)].join(' '),
    options,
    environment,
    targets: servers ? [...health(servers), ...db(servers)].map(({ url: _url, pid: _pid, ...t }) => t) : [],
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
