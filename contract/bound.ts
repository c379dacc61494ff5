import type { Mode } from './modes.ts';

// What a workload's bound is made of, as the server's bound route (`GET /<name>/bound?…`) answers it.

/**
 * How many requests can be in progress at once in a mode, for a bound by Little's law: `one` (the
 * event-loop thread serves one at a time), `connections` (every open connection), `workers`
 * (min(connections, pool threads)).
 */
export type Concurrency = 'one' | 'connections' | 'workers';

/** Which threads can run a mode's CPU work at once: the event-loop thread, libuv's pool or the worker pool. */
export type CpuThreads = 'loop' | 'libuv' | 'workers';

/** How long one request of a mode waits (I/O, timers), for a bound by Little's law. */
export interface ModeWait {
  readonly ms: number;
  /** What the wait is made of, in words (e.g. "4 calls of 50 ms in sequence"). */
  readonly basis?: string;
  /** A shared pool the requests also queue for: `size` slots, each request holding one for `holdMs`. */
  readonly pool?: { readonly size: number; readonly holdMs: number; readonly basis: string };
}

/**
 * A workload's bound model evaluated for one set of parameters: plain data, what
 * `GET /<name>/bound?…` answers and the load harness turns into requests per second.
 */
export type BoundAnswer =
  | { kind: 'wait'; modes: Partial<Record<Mode, ModeWait & { concurrency: Concurrency }>> }
  | { kind: 'cpu'; modes: Partial<Record<Mode, { threads: CpuThreads }>> };
