import { Agent, get } from 'node:http';

/**
 * The seeds' asynchronous HTTP client: node:http over one keep-alive agent, the counterpart of a
 * reused requests.Session / aiohttp.ClientSession. Built in, so a worker thread or process that makes
 * one loads nothing from node_modules: their start-up measures Node, not a library's import.
 */
export interface PageClient {
  /** GETs `path` below the base URL and resolves with the body's length in bytes. */
  get(path: string): Promise<number>;
  close(): void;
}

export function createPageClient(baseUrl: string, timeoutMs = 15_000): PageClient {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  return {
    get(path) {
      return new Promise((resolve, reject) => {
        // Only paths this program builds are appended to the fixed base, never outside input.
        const req = get(baseUrl + path, { agent, timeout: timeoutMs }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () =>
            (res.statusCode ?? 0) >= 400
              ? reject(new Error(`upstream answered ${res.statusCode} to ${path}`))
              : resolve(bytes),
          );
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within ${timeoutMs} ms`)));
        req.on('error', reject);
      });
    },
    close: () => agent.destroy(),
  };
}
