/**
 * `looplab loadtest --no-blame --target /a -- <command>`: what the harness needs from inside the server
 * when blame is off — where it listens (`GET /listening` on 127.0.0.1:LOOPLAB_BLAME_PORT, as the
 * stall-blame preload answers it) — and no profiler. Main thread only; the variable is removed so that
 * the command's child processes do not answer on the same port.
 */
import { createServer } from 'node:http';
import { isMainThread } from 'node:worker_threads';
import { describeListenError } from '../lib/listen-error.ts';
import { refuseUnsupportedNode } from '../lib/supported-node.ts';
import { type ListeningAddress, watchListening } from './listening.ts';

refuseUnsupportedNode('looplab/stall-blame/listening-preload');

const port = process.env['LOOPLAB_BLAME_PORT'];
delete process.env['LOOPLAB_BLAME_PORT'];

if (isMainThread && port) {
  let listening: () => ListeningAddress[] = () => [];
  const server = createServer(function listeningEndpoint(req, res) {
    const found = req.method === 'GET' && req.url === '/listening';
    res
      .writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
      .end(JSON.stringify(found ? { listening: listening() } : { error: 'not found: GET /listening' }));
  });
  // Awaited, so the application starts only once this endpoint listens; watched from then on, so the
  // endpoint is not among the server's own addresses and none of the application's is missed.
  await new Promise<void>((resolve) => {
    // A port picked free can be taken before this binds it: one line, and the application runs on.
    server.once('error', (error) => {
      const why = describeListenError(error, Number(port), 'LOOPLAB_BLAME_PORT');
      process.stderr.write(`looplab: where the server listens is not served, and it runs on: ${why}\n`);
      resolve();
    });
    server.listen({ port: Number(port), host: '127.0.0.1', exclusive: true }, () => {
      server.unref();
      listening = watchListening();
      resolve();
    });
  });
}
