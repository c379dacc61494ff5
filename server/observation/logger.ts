import { pino, type Logger } from 'pino';
import type { LogLevel } from '../../lib/config-spec.ts';

export type { Logger, LogLevel };

/**
 * Structured JSON logs on stdout. One line per request is logged at `debug`, so the default `info`
 * stays quiet under a load test; failures (5xx) are logged at `error` with their request id.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'looplab' } });
}
