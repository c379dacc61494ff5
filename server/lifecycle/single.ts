import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { printBanner } from './banner.ts';
import type { Config } from '../config.ts';
import { createDeps } from '../deps.ts';
import { startDependencies } from './start-dependencies.ts';
import { closeGracefully } from '../http/graceful-close.ts';
import { describeListenError } from '../../lib/listen-error.ts';
import { listenApp } from '../http/listen-app.ts';
import { reportReadyToParent } from './parent-ipc.ts';
import { onStopSignals, relayedByNpm } from './stop-signals.ts';
import { createStopSteps } from './stop-steps.ts';
import { startBlame } from '../observation/stall-blame.ts';
import type { Registry } from '../workloads/registry.ts';
import { jobQueueOptions, startQueueWorkers } from '../queue/start-queue.ts';
import { registerQueueWorkerMemory } from '../queue/queue-worker-memory.ts';

/**
 * One server process (CLUSTER=1): starts the dependencies, the pools and the HTTP server, and on a
 * signal stops them in reverse order: the HTTP server (in-flight requests finish), the pools, the
 * upstream, PostgreSQL.
 */
export async function runSingle(config: Config, workloads: Registry): Promise<void> {
  const steps = createStopSteps();
  const trigger = onStopSignals({ stop: () => steps.stopAll(), parentRelays: relayedByNpm(process.env) });
  try {
    // First, so that everything after it, start-up included, is profiled (the report covers the process's life).
    const blame = await startBlame(config);
    if (blame) {
      steps.push('stall blame', () => blame.stop());
      console.log(`looplab: stall blame (stalls over ${config.stallThresholdMs} ms) at ${blame.url}/`);
    }
    const urls = await startDependencies(config, steps);
    const jobQueue = jobQueueOptions(config, urls.databaseUrl);
    const deps = createDeps({ ...config, ...urls, workloads, ...(jobQueue ? { jobQueue } : {}) });
    steps.push('pools', () => deps.close());
    const queueWorkers = startQueueWorkers(config, urls, steps);
    if (queueWorkers) registerQueueWorkerMemory(deps.metrics.registry, () => queueWorkers.pids);
    const server: Server = listenApp(config, deps, (info: AddressInfo) =>
      printBanner({ info, config, upstreamUrl: urls.upstreamUrl, embeddedDb: !config.databaseUrl }),
    );
    server.once('listening', () =>
      reportReadyToParent(config.host, (server.address() as AddressInfo).port, trigger, blame?.url),
    );
    server.once('error', (err) => {
      console.error(`looplab: ${describeListenError(err, config.port, 'PORT')}`);
      void steps.stopAll().then(() => process.exit(1));
    });
    steps.push('HTTP server', () => closeGracefully(server, config.shutdownGraceMs));
  } catch (err) {
    console.error(`looplab: start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await steps.stopAll();
    process.exit(1);
  }
}
