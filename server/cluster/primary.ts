import type { Config } from '../config.ts';
import { printBanner } from '../lifecycle/banner.ts';
import { startDependencies } from '../lifecycle/start-dependencies.ts';
import { reportReadyToParent } from '../lifecycle/parent-ipc.ts';
import { onStopSignals, relayedByNpm } from '../lifecycle/stop-signals.ts';
import { createStopSteps } from '../lifecycle/stop-steps.ts';
import { startQueueWorkers } from '../queue/start-queue.ts';
import { connectionShortfall, readConnectionLimit } from './connection-budget.ts';
import { startBlameDirectory } from './blame-directory.ts';
import { serveAggregatedMetrics } from './metrics-primary.ts';
import { ProcessStartError, superviseProcesses } from './supervisor.ts';

/**
 * The cluster's primary (CLUSTER above 1): starts PostgreSQL and the upstream once, forks the server
 * processes, and only supervises. On a signal it stops in order: every server process finishes its
 * in-flight requests and closes its pools, then the upstream, then PostgreSQL.
 */
export async function runPrimary(config: Config): Promise<void> {
  const steps = createStopSteps();
  const trigger = onStopSignals({ stop: () => steps.stopAll(), parentRelays: relayedByNpm(process.env) });
  try {
    const urls = await startDependencies(config, steps);
    const shortfall = connectionShortfall(config, await readConnectionLimit(urls.databaseUrl));
    if (shortfall) throw new Error(shortfall);
    // Before the processes fork, so the directory hears every one of them name its endpoint.
    const blame = config.stallThresholdMs > 0 ? await startBlameDirectory(config.stallBlamePort) : null;
    if (blame) steps.push('stall-blame list', () => blame.close());
    const supervisor = superviseProcesses({
      count: config.cluster,
      env: { DATABASE_URL: urls.databaseUrl, UPSTREAM_URL: urls.upstreamUrl },
      graceMs: config.shutdownGraceMs,
      onCrashLoop: () => void steps.stopAll().then(() => process.exit(1)),
    });
    // The queue workers serve every server process; they stop after the last of them has.
    startQueueWorkers(config, urls, steps);
    steps.push('server processes', () => supervisor.stop());
    serveAggregatedMetrics();
    const port = await supervisor.ready;
    await blame?.ready(supervisor.pids());
    printBanner({
      info: { address: config.host, family: 'IPv4', port },
      config,
      upstreamUrl: urls.upstreamUrl,
      embeddedDb: !config.databaseUrl,
    });
    if (blame)
      console.log(
        `looplab: stall blame (stalls over ${config.stallThresholdMs} ms) in every server process, each on its own port, listed at ${blame.url}`,
      );
    reportReadyToParent(config.host, port, trigger, blame?.url);
  } catch (err) {
    if (err instanceof ProcessStartError) console.error(`looplab: ${err.message}`);
    else console.error(`looplab: start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await steps.stopAll();
    process.exit(1);
  }
}
