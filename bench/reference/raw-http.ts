/**
 * Reference server: plain `node:http`, no framework. The ceiling for `/health` on this machine and
 * this load generator; bare Hono's distance from it is the framework's own cost.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from '../../lib/child-process.ts';

const BODY = JSON.stringify({ status: 'ok' });

const server = createServer(function answer(req, res) {
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) });
    res.end(BODY);
    return;
  }
  res.writeHead(404).end();
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveParent(`http://127.0.0.1:${port}`, () =>
    new Promise<void>((resolve) => server.close(() => resolve())).finally(() => server.closeAllConnections()),
  );
});
