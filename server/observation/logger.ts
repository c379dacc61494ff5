import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured JSON logs on stdout. One line per request is logged at `debug`, so the default `info`
 * stays quiet under a load test; failures (5xx) are logged at `error` with their request id.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'looplab' } });
}
