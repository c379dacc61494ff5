/**
 * One server process of the cluster (forked by `supervisor.ts`): today's server without the
 * dependencies, which the primary started and whose URLs arrive in DATABASE_URL / UPSTREAM_URL. It
 * stops gracefully when the primary says so or on a signal of its own; the primary speaks for it.
 */
import type { Server } from 'node:http';
import { loadConfig } from '../config.ts';
import { createDeps } from '../deps.ts';
import { closeGracefully } from '../http/graceful-close.ts';
import { describeListenError } from '../../lib/listen-error.ts';
import { listenApp } from '../http/listen-app.ts';
import { onStopSignals } from '../lifecycle/stop-signals.ts';
import { createStopSteps } from '../lifecycle/stop-steps.ts';
import { loadWorkloadsOrExit } from '../workloads/load.ts';
import { jobQueueOptions } from '../queue/start-queue.ts';
import { startBlame } from '../observation/stall-blame.ts';
import { isPrimaryMessage, type WorkerMessage } from './messages.ts';
import { clusterMetrics } from './metrics-process.ts';

// The primary validated the same environment before forking, so this cannot throw here.
const config = loadConfig();
const { databaseUrl, upstreamUrl } = config;
if (!databaseUrl || !upstreamUrl)
  throw new Error('a cluster server process needs DATABASE_URL and UPSTREAM_URL from its primary');

const steps = createStopSteps();
const trigger = onStopSignals({ stop: () => steps.stopAll(), quiet: true });
process.on('message', (msg) => {
  if (isPrimaryMessage(msg) && msg.type === 'looplab:stop') trigger.request();
});

// First, as in one process, so all that follows is profiled; on a free port of its own (the primary lists
// every process's endpoint at STALL_BLAME_PORT), and stopped last.
const blame = await startBlame({ stallThresholdMs: config.stallThresholdMs, stallBlamePort: 0 });
if (blame) {
  steps.push('stall blame', () => blame.stop());
  process.send?.({ type: 'looplab:blame', pid: process.pid, url: blame.url } satisfies WorkerMessage);
}

const workloads = await loadWorkloadsOrExit(config.workloadFiles);
const jobQueue = jobQueueOptions(config, databaseUrl);
const deps = createDeps({ ...config, databaseUrl, upstreamUrl, workloads, ...(jobQueue ? { jobQueue } : {}) });
steps.push('pools', () => deps.close());
const server: Server = listenApp(config, { ...deps, metrics: clusterMetrics(deps.metrics) }, () => {});
server.once('error', (err) => {
  const failed: WorkerMessage = { type: 'looplab:failed', message: describeListenError(err, config.port, 'PORT') };
  process.send?.(failed, () => void steps.stopAll().then(() => process.exit(1)));
});
steps.push('HTTP server', () => closeGracefully(server, config.shutdownGraceMs));
