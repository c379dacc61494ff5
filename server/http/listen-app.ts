import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import type { Config } from '../config.ts';
import type { AppDeps } from '../deps.ts';
import { closeIdleAfterPoll } from './keep-alive.ts';
import { createLogger } from '../observation/logger.ts';
import { watchClients } from '../observation/client-activity.ts';
import { LooplabResponse } from './looplab-response.ts';
import { serverOptions } from './server-options.ts';

/** Builds the app from `deps` and listens on the configured port and host. */
export function listenApp(config: Config, deps: AppDeps, onListening: (info: AddressInfo) => void): Server {
  const app = createApp(deps, { requestTimeoutMs: config.requestTimeoutMs, logger: createLogger(config.logLevel) });
  const server = serve(
    {
      fetch: app.fetch,
      port: config.port,
      hostname: config.host,
      serverOptions: { ...serverOptions(config), ServerResponse: LooplabResponse },
    },
    onListening,
  ) as Server;
  closeIdleAfterPoll(server);
  watchClients(server);
  return server;
}
