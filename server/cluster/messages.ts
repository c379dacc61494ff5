/**
 * The IPC messages between the cluster's primary and its server processes, on node:cluster's own
 * channel. Every type is prefixed so they cannot be taken for prom-client's or Node's own messages.
 */
export type PrimaryMessage =
  /** Stop gracefully: finish the in-flight requests, close the pools, exit 0. */
  | { type: 'looplab:stop' }
  /** Send this process's metrics as JSON, for the aggregate. */
  | { type: 'looplab:metrics-collect'; id: number }
  /** The aggregate a process asked for, to answer its `/metrics` request with. */
  | { type: 'looplab:metrics-text'; id: number; text: string }
  | { type: 'looplab:metrics-error'; id: number; error: string };

/** One metric as `Registry.getMetricsAsJSON()` gives it at run time (prom-client's own type differs). */
export interface MetricJson {
  name: string;
  help: string;
  type: string;
  aggregator?: string;
  values: Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>;
}

export type ProcessMetrics = MetricJson[];

export type WorkerMessage =
  /** The process cannot serve (it could not listen): one line for the user. */
  | { type: 'looplab:failed'; message: string }
  | { type: 'looplab:metrics-json'; id: number; pid: number; metrics: ProcessMetrics }
  /** This process's own stall-blame endpoint (STALL_THRESHOLD_MS), for the primary's list of them. */
  | { type: 'looplab:blame'; pid: number; url: string }
  /** A `/metrics` request arrived here: send the aggregate of every process. */
  | { type: 'looplab:metrics-request'; id: number };

const TYPES = new Set([
  'looplab:stop',
  'looplab:metrics-collect',
  'looplab:metrics-text',
  'looplab:metrics-error',
  'looplab:failed',
  'looplab:metrics-json',
  'looplab:metrics-request',
  'looplab:blame',
]);

function isMessage(msg: unknown): msg is { type: string } {
  return typeof msg === 'object' && msg !== null && TYPES.has((msg as { type?: unknown }).type as string);
}

/** Messages come from our own processes over a private channel, so the type tag is enough. */
export const isPrimaryMessage = (msg: unknown): msg is PrimaryMessage => isMessage(msg);
export const isWorkerMessage = (msg: unknown): msg is WorkerMessage => isMessage(msg);
