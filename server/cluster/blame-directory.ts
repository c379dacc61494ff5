import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isWorkerMessage } from './messages.ts';

/** The path the directory answers on; the harness knows a cluster's blame by it (blame-window.ts). */
export const PROCESSES_PATH = '/processes';

export interface BlameDirectory {
  /** `http://127.0.0.1:PORT/processes`: `GET` → `{ "processes": [{ "pid", "url" }] }`, the live processes now. */
  readonly url: string;
  /** Resolves once every pid in `pids` has named its endpoint. */
  ready(pids: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The primary's list of its server processes' stall-blame endpoints. Each process profiles its own
 * event loop and serves its report on a free port of its own (so N processes never clash); it names
 * that URL to the primary over IPC, and a process that exits leaves the list (its replacement joins
 * with a URL of its own). Served on 127.0.0.1 at STALL_BLAME_PORT, like one process's endpoint.
 */
export async function startBlameDirectory(port: number): Promise<BlameDirectory> {
  const byPid = new Map<number, string>();
  let changed = () => {};
  cluster.on('message', (_worker, msg) => {
    if (!isWorkerMessage(msg) || msg.type !== 'looplab:blame') return;
    byPid.set(msg.pid, msg.url);
    changed();
  });
  cluster.on('exit', (worker) => {
    if (worker.process.pid !== undefined) byPid.delete(worker.process.pid);
  });
  const server: Server = createServer(function blameDirectory(req, res) {
    const path = new URL(req.url ?? '/', 'http://blame').pathname;
    const ok = req.method === 'GET' && path === PROCESSES_PATH;
    const body = ok
      ? { processes: [...byPid].sort((a, b) => a[0] - b[0]).map(([pid, url]) => ({ pid, url })) }
      : {
          error: `not found: GET ${PROCESSES_PATH} lists every server process's stall-blame endpoint (each answers GET /, /mark, /?from=&to=)`,
        };
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`STALL_BLAME_PORT ${port} is already in use; choose another (0 picks a free one)`)
          : err,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PROCESSES_PATH}`,
    ready: (pids) =>
      new Promise<void>((resolve) => {
        const check = () => pids.every((pid) => byPid.has(pid)) && resolve();
        changed = check;
        check();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
