import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StallBlame } from './blame.ts';
import { type ListeningAddress, watchListening } from './listening.ts';

type Answer = { status: number; body: unknown };

const send = (res: ServerResponse, { status, body }: Answer) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body, null, 2)}\n`);

const refuse = (error: string): Answer => ({ status: 400, body: { error } });

/** A µs value on the monotonic clock, as `GET /mark` gives it. */
function microseconds(params: URLSearchParams, name: 'from' | 'to'): number | string {
  const raw = params.get(name);
  if (raw === null) return `${name} is required with ${name === 'from' ? 'to' : 'from'}: both are µs from GET /mark`;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value))
    return `${name} must be a whole number of µs (from GET /mark), 0..${Number.MAX_SAFE_INTEGER} (got "${raw}")`;
  return value;
}

/**
 * `GET /` the report so far; `GET /mark` → `{ "now": µs }` on the reports' monotonic clock; `GET
 * /?from=µs&to=µs` the report of the stalls that started in that span (marks from `/mark`, within the
 * last 10 minutes); `GET /listening` → `{ "listening": [{ address, family, port }] }`, the TCP addresses
 * the process's other servers listen on (what `looplab loadtest -- <command>` loads).
 */
export function answer(
  blame: Pick<StallBlame, 'snapshot' | 'mark' | 'window'>,
  method: string | undefined,
  target: string,
  listening: () => ListeningAddress[] = () => [],
): Answer {
  if (method !== 'GET') return { status: 405, body: { error: 'only GET is answered here' } };
  const url = new URL(target, 'http://blame');
  if (url.pathname === '/mark') return { status: 200, body: { now: blame.mark() } };
  if (url.pathname === '/listening') return { status: 200, body: { listening: listening() } };
  if (url.pathname !== '/')
    return {
      status: 404,
      body: { error: 'not found: GET / (the report), GET /mark, GET /?from=µs&to=µs, GET /listening' },
    };
  if (!url.searchParams.has('from') && !url.searchParams.has('to')) return { status: 200, body: blame.snapshot() };
  const from = microseconds(url.searchParams, 'from');
  if (typeof from === 'string') return refuse(from);
  const to = microseconds(url.searchParams, 'to');
  if (typeof to === 'string') return refuse(to);
  if (to < from) return refuse(`to (${to}) must not be before from (${from})`);
  return { status: 200, body: blame.window(from, to) };
}

/**
 * A tiny HTTP server of its own, on 127.0.0.1 only, answering with {@link answer}. It never touches the
 * application's routes, and it is unref'd: it does not keep the process alive. When it cannot listen it
 * rejects with Node's error (for a port in use, wrapped, with Node's as its `cause`).
 */
export function serveBlame(port: number, blame: Pick<StallBlame, 'snapshot' | 'mark' | 'window'>): Promise<Server> {
  // Filled once this endpoint listens, so that its own address is not among the process's servers.
  let listening: () => ListeningAddress[] = () => [];
  const server = createServer(function stallBlameEndpoint(req, res) {
    send(res, answer(blame, req.method, req.url ?? '/', listening));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`stall-blame: port ${port} is already in use; choose another (0 picks a free one)`, {
              cause: error,
            })
          : error,
      ),
    );
    // exclusive: in a node:cluster worker, port 0 would otherwise be the primary's one shared port, and
    // every process's endpoint the same address, answered by whichever process the primary picks.
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.unref();
      listening = watchListening();
      resolve(server);
    });
  });
}

/** Where `server` answers. */
export const blameUrl = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
