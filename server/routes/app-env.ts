/** Which known workload and mode a request ran: one shared, frozen object per pair. */
export interface WorkLabel {
  readonly workload: string;
  readonly mode: string;
}

/** Per-request values the middleware and handlers share. */
export interface AppEnv {
  Variables: {
    /** Set once the path names a known workload and mode; labels the request metrics. */
    work?: WorkLabel;
    /** When routing reached the workload handler (performance.now()), for the duration metric. */
    routedAt?: number;
    /** The original error behind a 5xx, for the log only. */
    cause?: unknown;
  };
}
