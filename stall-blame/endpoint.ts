import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BlameReport } from './report.ts';

/**
 * A tiny HTTP server of its own, on 127.0.0.1 only, answering every GET with the report so far as JSON.
 * It never touches the application's routes, and it is unref'd: it does not keep the process alive.
 */
export function serveBlame(port: number, snapshot: () => BlameReport): Promise<Server> {
  const server = createServer(function stallBlameEndpoint(req, res) {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot(), null, 2));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`stall-blame: LOOPLAB_BLAME_PORT ${port} is already in use; choose another (0 picks a free one)`) : error),
    );
    server.listen(port, '127.0.0.1', () => {
      server.unref();
      process.stderr.write(`stall-blame: report at http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
      resolve(server);
    });
  });
}
