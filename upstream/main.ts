/** Runs the bundled upstream on its own: `npm run upstream`, or as a child of `npm start`. */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, readVariable } from '../lib/env.ts';
import { describeListenError } from '../lib/listen-error.ts';
import { failToParent, serveParent } from '../lib/child-process.ts';
import { createUpstreamApp } from './app.ts';

/** The upstream's own two variables; it never needs the server's configuration. */
let config: { upstreamPort: number; host: string };
try {
  config = {
    upstreamPort: readVariable(process.env, 'UPSTREAM_PORT'),
    host: readVariable(process.env, 'HOST'),
  };
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`upstream: ${err.message}`);
  process.exit(2);
}

const server = serve(
  { fetch: createUpstreamApp().fetch, port: config.upstreamPort, hostname: config.host },
  (info: AddressInfo) => {
    const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    if (!process.send) console.log(`upstream listening on ${url}`);
    serveParent(url, async () => {
      (server as Server).close();
      (server as Server).closeAllConnections();
    });
  },
);
(server as Server).once('error', (err) =>
  failToParent(`upstream: ${describeListenError(err, config.upstreamPort, 'UPSTREAM_PORT')}`),
);
// Standalone, Ctrl-C ends it like any server.
process.on('SIGINT', () => process.exit(0));
