import type { BlameLine, BlameReport } from '../../stall-blame/index.ts';
import { httpGet } from '../stack/http-get.ts';

/** A merged culprit of a cluster: how many of its ms each process spent in it. */
export interface ClusterBlameLine extends BlameLine {
  byProcess?: { pid: number; ms: number }[];
}

/** Stall blame over one measured window, as results.json keeps it (`scenarios[].runs[].blame`). */
export interface RunBlame {
  /** The server's blame endpoint the figures came from. */
  url: string;
  /** A stall is the event loop running a due callback more than this late, ms. */
  stallThresholdMs: number;
  /** The window on the server's clock, from its /mark before the load to its /mark after, ms. */
  windowMs: number;
  stalls: number;
  stallMs: number;
  longestStallMs: number;
  /** Stall time in stalls that were waits for a CPU (the machine busy, not the code): not blamed. */
  cpuWaitMs: number;
  /** Stall time the samples covered, and of it the time with nothing to blame (the loop idle). */
  sampledMs: number;
  idleMs: number;
  /** The largest culprits (at most {@link TOP_CULPRITS}), largest first; `share` is of all blamed time. */
  culprits: ClusterBlameLine[];
  /**
   * A cluster (the server's blame URL lists its processes): each process's own blame over the window,
   * the figures above being their merge (counts and times added, the longest stall the longest of any).
   */
  processes?: ProcessBlame[];
  /** A cluster's processes whose window could not be read (exited or started within it), and why. */
  unread?: UnreadProcess[];
  /** False when part of the window was older than the server's kept history (10 minutes). */
  complete: boolean;
  /**
   * The window's loop delay p99 as the preload's heartbeat saw it (ms; null with no tick in the window).
   * Absent from endpoints that predate it and from a cluster's merge: `target.loop_delay_p99` with
   * `--target … --blame-url`, where no `/metrics` gives the server's own.
   */
  loopDelayP99Ms?: number | null;
  /** Why there are no figures (the endpoint did not answer); null when there are. */
  error: string | null;
}

/** A cluster's process whose blame is not in the figures. */
export interface UnreadProcess {
  pid: number;
  reason: string;
}

/** One server process's blame in a cluster. */
export type ProcessBlame = RunBlame & { pid: number };

export const TOP_CULPRITS = 10;
const TIMEOUT_MS = 10_000;

export async function getJson(url: string): Promise<unknown> {
  const res = await httpGet(url, TIMEOUT_MS);
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * A server's stall-blame endpoint (`stall-blame/endpoint.ts`: looplab's own server with STALL_THRESHOLD_MS,
 * or any Node server started with the preload and LOOPLAB_BLAME_PORT). `mark` is the server's monotonic
 * now, taken on its event loop; `window` the blame of the stalls that started between two marks.
 */
export function blameClient(url: string) {
  const base = url.replace(/\/+$/, '');
  return {
    url: base,
    async mark(): Promise<number> {
      const { now } = (await getJson(`${base}/mark`)) as { now: unknown };
      if (typeof now !== 'number')
        throw new Error(`${base}/mark did not answer {"now": µs}; is it a stall-blame endpoint?`);
      return now;
    },
    window: async (fromUs: number, toUs: number) =>
      (await getJson(`${base}/?from=${fromUs}&to=${toUs}`)) as BlameReport,
  };
}

export type BlameClient = ReturnType<typeof blameClient>;

/** The run's blame from the endpoint's report. */
export function toRunBlame(url: string, report: BlameReport, top = TOP_CULPRITS): RunBlame {
  return {
    url,
    stallThresholdMs: report.options.stallThresholdMs,
    windowMs: report.window.ms,
    stalls: report.stalls,
    stallMs: report.stallMs,
    longestStallMs: report.longestStallMs,
    cpuWaitMs: report.cpuWaitMs,
    sampledMs: report.sampledMs,
    idleMs: report.idleMs,
    culprits: report.culprits.slice(0, top),
    complete: report.complete,
    error: null,
    ...(report.loopDelay !== undefined ? { loopDelayP99Ms: report.loopDelay?.p99Ms ?? null } : {}),
  };
}

/** A blame with every figure zero: nothing stalled, or (with `error`) nothing could be read. */
export const blankBlame = (url: string, error: string | null = null): RunBlame => ({
  url,
  stallThresholdMs: 0,
  windowMs: 0,
  stalls: 0,
  stallMs: 0,
  longestStallMs: 0,
  cpuWaitMs: 0,
  sampledMs: 0,
  idleMs: 0,
  culprits: [],
  complete: error === null,
  error,
});

export const failed = (url: string, err: unknown): RunBlame =>
  blankBlame(url, err instanceof Error ? err.message : String(err));

/**
 * Opens a blame window at one stall-blame endpoint (a mark) and returns the function that closes it (a
 * second mark) and reads its blame, `top` culprits at most. Never throws: an endpoint that does not
 * answer gives a blame with `error` set, and the run's other figures stand.
 */
export async function openEndpointWindow(url: string, top = TOP_CULPRITS): Promise<() => Promise<RunBlame>> {
  const client = blameClient(url);
  let from: number;
  try {
    from = await client.mark();
  } catch (err) {
    return async () => failed(client.url, err);
  }
  return async () => {
    try {
      return toRunBlame(client.url, await client.window(from, await client.mark()), top);
    } catch (err) {
      return failed(client.url, err);
    }
  };
}
