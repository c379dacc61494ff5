import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { defaultOf } from '../../lib/env.ts';
import { createApp } from '../../server/app.ts';
import { createDeps, type DepsOptions } from '../../server/deps.ts';
import { LooplabResponse } from '../../server/http/looplab-response.ts';
import { serverOptions } from '../../server/http/server-options.ts';
import type { Logger } from '../../server/observation/logger.ts';
import { waitFor } from './wait-for.ts';

export interface TestApp {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions extends Partial<DepsOptions> {
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  logger?: Logger;
  /** The port to listen on; default 0 (any free one). */
  port?: number;
}

/** Starts the real app with real pools on port 0, against the run's PostgreSQL and upstream. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const {
    requestTimeoutMs,
    headersTimeoutMs = defaultOf('HEADERS_TIMEOUT_MS'),
    keepAliveTimeoutMs = defaultOf('KEEP_ALIVE_TIMEOUT_MS'),
    logger,
    port = 0,
    ...overrides
  } = options;
  const deps = createDeps({
    databaseUrl: inject('databaseUrl'),
    upstreamUrl: inject('upstreamUrl'),
    dbPool: 4,
    workers: 2,
    workerDbPool: 2,
    ...overrides,
  });
  const app = createApp(deps, { ...(requestTimeoutMs ? { requestTimeoutMs } : {}), ...(logger ? { logger } : {}) });
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port,
        hostname: '127.0.0.1',
        // The server's own response class, as listen-app.ts gives it (the request id goes out in writeHead).
        serverOptions: { ...serverOptions({ headersTimeoutMs, keepAliveTimeoutMs }), ServerResponse: LooplabResponse },
      },
      () => resolve(s as Server),
    ) as Server;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get: (path) => fetch(url + path),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deps.close();
    },
  };
}

/**
 * Waits until `/ready` is 200. Worker threads boot in the background after the app starts (seconds
 * on a busy machine), and piscina counts a booting thread as capacity, so tests that count queued
 * tasks start from here.
 */
export async function untilReady(app: TestApp, hangGuardMs = 60_000): Promise<void> {
  await waitFor(
    '/ready to be 200',
    async () => ((await app.get('/ready')).status === 200 ? true : undefined),
    hangGuardMs,
    100,
  );
}
