import { Agent, request } from 'undici';
import type { ErrorCode } from '../../lib/error-codes.ts';

/** The upstream answered with an error status. */
export class UpstreamStatusError extends Error {
  override name = 'UpstreamStatusError';
  readonly code = 'UPSTREAM_STATUS' satisfies ErrorCode;
  readonly status: number;
  constructor(status: number) {
    super(`upstream answered ${status}`);
    this.status = status;
  }
}

/** Calls the one configured upstream over a keep-alive connection pool of its own. */
export interface UpstreamClient {
  /** GETs `path` (which must start with `/`) below the base URL and returns the whole body. */
  get(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * @param timeoutMs limit on each call's wait for headers and between body chunks; past it the call
 *   fails with an undici timeout error (mapped to 504).
 */
export function createUpstreamClient(baseUrl: string, timeoutMs = 15_000): UpstreamClient {
  // Keep-alive is the point: a new TCP connection per call would measure the handshake, not the wait.
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 256 });
  return {
    async get(path, signal) {
      if (!path.startsWith('/')) throw new Error('upstream paths must start with /');
      // The base is fixed at start; only a path built by this program is appended, never caller input.
      const res = await request(baseUrl + path, {
        dispatcher: agent,
        signal: signal ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      if (res.statusCode >= 400) {
        await res.body.dump();
        throw new UpstreamStatusError(res.statusCode);
      }
      return new Uint8Array(await res.body.arrayBuffer());
    },
    close: () => agent.close(),
  };
}
