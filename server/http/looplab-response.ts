import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * The server's response class (http.createServer's `ServerResponse` option): it carries the headers
 * looplab adds to every answer (`X-Request-Id`) or to every workload answer (`Server-Timing`) to
 * `writeHead`, which sends them with the headers the adapter hands over. Setting them with `setHeader`
 * costs more than the headers themselves: once a response has a header set that way, Node's
 * `writeHead` takes its slow path and sets every other header one at a time, each validated again.
 */
export class LooplabResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  /** Sent as `X-Request-Id` (front-door.ts). */
  declare requestId: string | undefined;
  /** Sent as `Server-Timing` (workload-route.ts). */
  declare serverTiming: string | undefined;
}

const nodeWriteHead = ServerResponse.prototype.writeHead as (
  this: ServerResponse,
  statusCode: number,
  reason?: unknown,
  headers?: unknown,
) => ServerResponse;

const isHeaderObject = (value: unknown): value is OutgoingHttpHeaders =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The given headers (a copy: the object may be the handler's own) with looplab's. */
function withOurs(response: LooplabResponse, headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const all = { ...headers };
  if (response.requestId !== undefined) all['X-Request-Id'] = response.requestId;
  if (response.serverTiming !== undefined) all['Server-Timing'] = response.serverTiming;
  return all;
}

/**
 * `writeHead(status[, message][, headers])` with looplab's headers among the others, whichever form it
 * was called in (arguments spelled out, not a rest array: this runs for every response).
 */
function writeHeadWithOurs(this: LooplabResponse, statusCode: number, reason?: unknown, headers?: unknown) {
  if (this.requestId !== undefined || this.serverTiming !== undefined) {
    if (typeof reason !== 'string' && headers === undefined && isHeaderObject(reason)) reason = withOurs(this, reason);
    else if (isHeaderObject(headers)) headers = withOurs(this, headers);
    else {
      if (this.requestId !== undefined) this.setHeader('X-Request-Id', this.requestId);
      if (this.serverTiming !== undefined) this.setHeader('Server-Timing', this.serverTiming);
    }
  }
  return nodeWriteHead.call(this, statusCode, reason, headers);
}
LooplabResponse.prototype.writeHead = writeHeadWithOurs as unknown as LooplabResponse['writeHead'];
