/**
 * `npm start`: the only file that reads the environment, starts dependencies, listens and handles
 * signals. Everything it starts, it stops, in reverse order.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { startUpstream } from '../upstream/launch.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createDeps } from './deps.ts';
import { printBanner } from './banner.ts';
import { serverOptions } from './server-options.ts';
import { createLogger } from './logger.ts';
import { describeListenError } from '../lib/listen-error.ts';
import { closeGracefully } from './graceful-close.ts';
import { startBlame, type RunningBlame } from './stall-blame.ts';
import { loadWorkloads, WorkloadFileError } from './workloads/load.ts';


function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`looplab: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

const config = readConfig();
// Before anything is started, so a bad workload file leaves nothing running.
const workloads = await loadWorkloads(config.workloadFiles).catch((err: unknown) => {
  if (!(err instanceof WorkloadFileError)) throw err;
  console.error(`looplab: ${err.message}`);
  process.exit(1);
});
const stopSteps: Array<{ name: string; stop: () => Promise<void> }> = [];
let firstSignal: { signal: NodeJS.Signals; at: number } | undefined;

async function stopAll(): Promise<void> {
  for (const step of stopSteps.reverse()) {
    await step.stop().catch((err: unknown) => console.error(`looplab: stopping ${step.name} failed: ${String(err)}`));
  }
}

/**
 * The same signal twice within this window is one request to stop, delivered twice: npm (and any
 * wrapper) relays the signal it got to its child, and a signal sent to the process group reaches the
 * server directly too. Only a later or a different signal means "stop now".
 */
const RELAYED_COPY_WINDOW_MS = 1_000;

function onSignal(signal: NodeJS.Signals): void {
  if (firstSignal) {
    if (signal === firstSignal.signal && performance.now() - firstSignal.at < RELAYED_COPY_WINDOW_MS) return;
    console.error(`looplab: second signal (${signal}), exiting now`);
    process.exit(1);
  }
  firstSignal = { signal, at: performance.now() };
  console.log(`looplab: ${signal} received, shutting down (send it again to exit at once)`);
  // Start closing after this I/O phase: when the signal is noticed late, because the event loop was
  // blocked, requests that arrived meanwhile are read in the same phase, and closing first would
  // drop them as idle connections.
  setImmediate(() =>
    void stopAll().then(() => {
      console.log('looplab: stopped, exit 0');
      process.exit(0);
    }),
  );
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/**
 * When a parent forked us with an IPC channel (the load harness does), tell it where we listen, and
 * shut down gracefully when it asks or goes away.
 */
function reportReadyToParent(server: Server, blame: RunningBlame | null): void {
  if (!process.send) return;
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const stopOnce = () => {
    if (!firstSignal) onSignal('SIGTERM');
  };
  process.on('message', (msg) => {
    if ((msg as { type?: unknown }).type === 'stop') stopOnce();
  });
  process.on('disconnect', stopOnce);
  process.send({ type: 'ready', url: `http://${host}:${port}`, ...(blame ? { blameUrl: blame.url } : {}) });
}

try {
  const blame = await startBlame(config);
  if (blame) {
    stopSteps.push({ name: 'stall blame', stop: () => blame.stop() });
    console.log(`looplab: stall blame (stalls over ${config.stallBlameMs} ms) at ${blame.url}/`);
  }
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    console.log(`looplab: starting embedded PostgreSQL on port ${config.embeddedPgPort} (data in ${config.embeddedPgDataDir})`);
    const pg = await startEmbeddedPostgres({ port: config.embeddedPgPort, dataDir: config.embeddedPgDataDir });
    stopSteps.push({ name: 'embedded PostgreSQL', stop: () => pg.stop() });
    databaseUrl = pg.url;
  }
  let upstreamUrl = config.upstreamUrl;
  if (!upstreamUrl) {
    const upstream = await startUpstream(config.upstreamPort, config.host);
    stopSteps.push({ name: 'upstream', stop: () => upstream.stop() });
    upstreamUrl = upstream.url;
  }
  await migrate(databaseUrl);

  const deps = createDeps({ ...config, databaseUrl, upstreamUrl, workloads });
  stopSteps.push({ name: 'pools', stop: () => deps.close() });

  const server = serve({ fetch: createApp(deps, { requestTimeoutMs: config.requestTimeoutMs, logger: createLogger(config.logLevel) }).fetch, port: config.port, hostname: config.host, serverOptions: serverOptions(config) }, (info: AddressInfo) =>
    printBanner({ info, config, upstreamUrl, embeddedDb: !config.databaseUrl }),
  ) as Server;
  server.once('listening', () => reportReadyToParent(server, blame));
  server.once('error', (err) => {
    console.error(`looplab: ${describeListenError(err, config.port, 'PORT')}`);
    void stopAll().then(() => process.exit(1));
  });
  stopSteps.push({ name: 'HTTP server', stop: () => closeGracefully(server, config.shutdownGraceMs) });
} catch (err) {
  console.error(`looplab: start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll();
  process.exit(1);
}
