import type { ServerOptions } from 'node:http';
import type { Config } from '../config.ts';

/**
 * Node HTTP server limits against slow and idle clients. Node checks the headers and request
 * timeouts only every `connectionsCheckingInterval` (30 s by default), so the interval is tied to
 * the timeout to make a trickling client get its 408 close to the configured time.
 */
export function serverOptions(config: Pick<Config, 'headersTimeoutMs' | 'keepAliveTimeoutMs'>): ServerOptions {
  return {
    headersTimeout: config.headersTimeoutMs,
    // The whole request (headers and body) has the same limit: endpoints take no body.
    requestTimeout: config.headersTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(config.headersTimeoutMs / 4))),
    // 16 KiB of headers; a larger head is refused with 431 by Node itself.
    maxHeaderSize: 16 * 1024,
  };
}
