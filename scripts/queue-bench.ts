/**
 * `npm run bench:queue`: queue mode beside worker and async mode, on a CPU and an I/O workload, and the
 * queue's own latency on PostgreSQL vs Redis. Starts its own embedded PostgreSQL (.looplab/queue-bench),
 * the bundled upstream, a redis-server on a free port (when installed) and one looplab server per
 * backend, each with WORKERS=2 threads and QUEUE_WORKERS=2 processes (one job at a time each), runs
 * closed-loop autocannon rounds, prints a Markdown table, and stops everything it started.
 *
 *   npm run bench:queue -- [seconds per round, default 10] [connections, default 8]
 */
import { dataPath } from '../lib/data-dir.ts';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { startChild, type ManagedChild } from '../lib/child-process.ts';
import { freePort } from '../lib/free-port.ts';
import { hasRedisServer, startRedis, type RedisServer } from '../lib/redis-server.ts';
import { startUpstream } from '../upstream/launch.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 8);
if (!Number.isInteger(seconds) || seconds < 1 || !Number.isInteger(connections) || connections < 1) {
  console.error('usage: npm run bench:queue -- [seconds per round ≥ 1] [connections ≥ 1]');
  process.exit(2);
}

/** The CPU and I/O workloads measured, `%s` standing for the mode. */
const WORKLOADS = [
  { name: 'cpu', path: '/cpu/%s?n=5000000' },
  { name: 'fetch', path: '/fetch/%s?delay=50' },
] as const;
/** The cheapest job there is, for the queue's own round trip: `cpu` with n=0 does no work. */
const NO_OP = '/cpu/queue?n=0';

interface Round {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function round(url: string, conns: number): Promise<Round> {
  const result = await autocannon({ url, connections: conns, duration: seconds });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

/** Sum and count of each looplab_queue_* histogram, to turn two scrapes into means over a round. */
async function queueTotals(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const totals: Record<string, number> = {};
  for (const match of text.matchAll(/^(looplab_queue_(?:wait|processing)_seconds_(?:sum|count))\{[^}]*\} (\S+)$/gm)) {
    totals[match[1] as string] = (totals[match[1] as string] ?? 0) + Number(match[2]);
  }
  return totals;
}

const meanMs = (before: Record<string, number>, after: Record<string, number>, name: string) => {
  const sum = (after[`${name}_sum`] ?? 0) - (before[`${name}_sum`] ?? 0);
  const count = (after[`${name}_count`] ?? 0) - (before[`${name}_count`] ?? 0);
  return count > 0 ? (sum / count) * 1000 : NaN;
};

const started: Array<{ stop(): Promise<void> }> = [];
const stopAll = async () => {
  for (const child of started.reverse()) await child.stop().catch(() => {});
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  const pg = await startEmbeddedPostgres({ port: await freePort(), dataDir: dataPath('queue-bench') });
  started.push(pg);
  const upstream = await startUpstream(0, '127.0.0.1');
  started.push(upstream);
  let redis: RedisServer | undefined;
  if (hasRedisServer()) {
    redis = await startRedis();
    started.push(redis);
  } else {
    console.warn('bench:queue: redis-server is not installed; measuring the PostgreSQL backend only');
  }

  const env = {
    PORT: '0',
    DATABASE_URL: pg.url,
    UPSTREAM_URL: upstream.url,
    WORKERS: '2',
    QUEUE_WORKERS: '2',
    LOG_LEVEL: 'warn',
  };
  const servers: Array<{ backend: string; server: ManagedChild }> = [];
  for (const backend of ['postgres', ...(redis ? ['redis'] : [])]) {
    const server = await startChild(
      new URL('../server/main.ts', import.meta.url),
      `looplab (${backend})`,
      { ...env, ...(backend === 'redis' && redis ? { REDIS_URL: redis.url } : {}) },
      { quiet: true },
    );
    started.push(server);
    servers.push({ backend, server });
    // Listening is not ready: worker threads and queue workers boot in the background.
    const giveUpAt = performance.now() + 120_000;
    while (
      (await fetch(`${server.url}/ready`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (performance.now() > giveUpAt) throw new Error(`looplab (${backend}) was not ready within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const rows: string[] = [];
  const [first] = servers;
  if (!first) throw new Error('no server started');
  for (const workload of WORKLOADS) {
    const runs: Array<{ mode: string; url: string }> = [
      { mode: 'async', url: first.server.url },
      { mode: 'worker', url: first.server.url },
      ...servers.map(({ backend, server }) => ({ mode: `queue (${backend})`, url: server.url })),
    ];
    for (const { mode, url } of runs) {
      const path = workload.path.replace('%s', mode.startsWith('queue') ? 'queue' : mode);
      await round(url + path, connections); // warm-up, not recorded
      const before = await queueTotals(url);
      const r = await round(url + path, connections);
      const after = await queueTotals(url);
      const split = mode.startsWith('queue')
        ? `${meanMs(before, after, 'looplab_queue_wait_seconds').toFixed(1)} / ${meanMs(before, after, 'looplab_queue_processing_seconds').toFixed(1)}`
        : '—';
      rows.push(`| ${workload.name} | ${mode} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${split} | ${r.non2xx} |`);
      console.error(`bench:queue: ${rows.at(-1)}`);
    }
  }
  const latency: string[] = [];
  for (const { backend, server } of servers) {
    await round(server.url + NO_OP, 1);
    const before = await queueTotals(server.url);
    const r = await round(server.url + NO_OP, 1);
    const after = await queueTotals(server.url);
    latency.push(
      `| ${backend} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ` +
        `${meanMs(before, after, 'looplab_queue_wait_seconds').toFixed(2)} | ` +
        `${meanMs(before, after, 'looplab_queue_processing_seconds').toFixed(3)} |`,
    );
    console.error(`bench:queue: ${latency.at(-1)}`);
  }

  console.log(
    `\nqueue vs worker vs async: ${connections} connections, ${seconds} s per round after a ${seconds} s warm-up; ` +
      `WORKERS=2, QUEUE_WORKERS=2 × QUEUE_CONCURRENCY=1\n`,
  );
  console.log('| workload | mode | req/s | p50 ms | p99 ms | queue wait / processing, mean ms | non-2xx |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
  console.log(`\nqueue round trip of a no-op job (${NO_OP}), 1 connection, ${seconds} s\n`);
  console.log('| backend | req/s | p50 ms | p99 ms | queue wait, mean ms | processing, mean ms |');
  console.log('|---|---|---|---|---|---|');
  console.log(latency.join('\n'));
  console.log(
    `\nnode ${process.version}, load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await stopAll();
}
