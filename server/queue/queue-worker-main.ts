/**
 * `npm run worker`: one queue worker process. It reads the same environment as the server, opens its
 * own DB pool (WORKER_DB_POOL) and upstream client, and runs QUEUE_CONCURRENCY jobs at once from the
 * BullMQ queue — on any machine that reaches the queue's backend, the database and the upstream.
 * The server starts QUEUE_WORKERS of these itself (local-queue-workers.ts); started by hand it needs
 * DATABASE_URL and UPSTREAM_URL, since it starts neither.
 */
import { hostname } from 'node:os';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { failToParent, serveParent } from '../../lib/child-process.ts';
import { describeBackend, queueBackendOf, workerName } from '../../lib/queue-access.ts';
import { createQueueWorker } from './queue-worker.ts';
import { createThreadClients } from '../offload/thread-clients.ts';
import { loadWorkloadsOrExit } from '../workloads/load.ts';

function configOrFail(): Config & { databaseUrl: string; upstreamUrl: string } {
  try {
    const config = loadConfig();
    const { databaseUrl, upstreamUrl } = config;
    if (!databaseUrl || !upstreamUrl)
      throw new ConfigError(
        'a queue worker needs DATABASE_URL and UPSTREAM_URL: it starts neither a database nor an upstream',
      );
    if (!config.queue.enabled) throw new ConfigError('QUEUE=off: there is no queue to work for');
    return { ...config, databaseUrl, upstreamUrl };
  } catch (err) {
    failToParent(`looplab worker: ${err instanceof Error ? err.message : String(err)}`);
    throw err; // not reached: failToParent exits
  }
}

const config = configOrFail();
const backend = queueBackendOf(config.queue.redisUrl, config.databaseUrl);
// The same files the server serves (WORKLOADS), so every workload runs here unchanged.
const registry = await loadWorkloadsOrExit(config.workloadFiles);
const clients = createThreadClients({
  databaseUrl: config.databaseUrl,
  upstreamUrl: config.upstreamUrl,
  dbPoolSize: config.workerDbPool,
  upstreamTimeoutMs: config.upstreamTimeoutMs,
});
const worker = createQueueWorker({
  backend,
  name: workerName(hostname(), process.pid),
  clients,
  registry,
  concurrency: config.queue.concurrency,
  lockMs: config.queue.lockMs,
  stalledMs: config.queue.stalledMs,
  keep: config.queue.keep,
});

async function shutdown(): Promise<void> {
  await worker.close(); // lets running jobs finish
  await clients.close();
}

try {
  await worker.ready;
} catch (err) {
  failToParent(
    `looplab worker: the queue is unreachable (${describeBackend(backend)}): ${err instanceof Error ? err.message : String(err)}`,
  );
}
const line = `looplab queue worker ${process.pid}: ${describeBackend(backend)}, ${config.queue.concurrency} job(s) at once`;
if (process.send) {
  serveParent(line, shutdown);
} else {
  console.log(`${line}; Ctrl-C stops it after its running jobs`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void shutdown().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
