import type { RequestIdVariables } from 'hono/request-id';

/** Per-request values the middleware and handlers share. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** Set once the path names a known workload and mode; labels the request metrics. */
    work?: { workload: string; mode: string };
    /** The original error behind a 5xx, for the log only. */
    cause?: unknown;
  };
}
