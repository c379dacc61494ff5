import { createLatencyRecorder, type EncodedLatencies, type LatencyRecorder } from './latency-histogram.ts';
import type { Latency, TimelineSecond } from '../types.ts';

/** How one request ended: an HTTP status, a connection error, or a client-side timeout. */
export type Outcome = number | 'error' | 'timeout';

/** Counts of how requests ended. Only 2xx is a success: a fast 503 is a refusal, not throughput. */
export interface OutcomeCounts {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The non-2xx answers by status code (`"503": 7841`): a refusal is told apart from slowness by it. */
  statuses: Record<string, number>;
}

/** The first body seen for each non-2xx status, cut to this many characters. */
const SAMPLE_CHARS = 300;

/** One second of a log's timeline: counts, and the 2xx latencies (ms) answered in it. */
interface LogSecond {
  ok: number;
  failed: number;
  latencies: number[];
}

/**
 * An outcome log's contents in transit between processes (a load generator's child and the harness),
 * with every time relative to the log's start, so logs that share a start can be merged exactly.
 */
export interface OutcomeLogData {
  counts: OutcomeCounts;
  ok: EncodedLatencies;
  failed: EncodedLatencies;
  /** When each 2xx answer ended, ms after the start. */
  okEnds: number[];
  /** The timeline's seconds, null where nothing ended. */
  seconds: Array<LogSecond | null>;
  /** One body per non-2xx status, as first seen. */
  samples: Record<string, string>;
}

export interface OutcomeLog {
  /** Notes one finished request; `latencyMs` null when it is unknown (an autocannon connection error). */
  record(outcome: Outcome, latencyMs: number | null, endedAt: number): void;
  /** Keeps `body` as the sample of a non-2xx `status` unless one is kept already (the first one wins). */
  sampleBody(status: number, body: string): void;
  /** One body per non-2xx status, as first seen (cut to 300 characters). */
  readonly samples: Readonly<Record<string, string>>;
  readonly counts: OutcomeCounts;
  /** 2xx answers completed within `ms` of the start: what a window of that length served. */
  okWithin(ms: number): number;
  readonly ok: LatencyRecorder;
  readonly failed: LatencyRecorder;
  /** One entry per whole second from `start`, for `seconds` seconds; later answers are left out. */
  timeline(seconds: number): TimelineSecond[];
  /** Everything logged so far, to send to another process. */
  data(): OutcomeLogData;
  /** Adds another log that started at the same moment (histograms added, counts summed, timelines joined). */
  absorb(other: OutcomeLogData): void;
}

export const isOk = (outcome: Outcome) => typeof outcome === 'number' && outcome >= 200 && outcome < 300;

/** Nearest-rank percentile of a sorted list. */
function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/**
 * Every finished request of one run, kept apart by outcome: successes and failures each get their own
 * histogram, so a fast refusal can never pull the success percentiles down, and a per-second record
 * (by completion time, from `start`, a performance.now() time) feeds the timeline.
 */
export function createOutcomeLog(start: number): OutcomeLog {
  const counts: OutcomeCounts = { ok: 0, non2xx: 0, errors: 0, timeouts: 0, statuses: {} };
  const samples: Record<string, string> = {};
  const keepSample = (status: string, body: string) => {
    if (samples[status] === undefined) samples[status] = body.slice(0, SAMPLE_CHARS);
  };
  const ok = createLatencyRecorder();
  const failed = createLatencyRecorder();
  const seconds: LogSecond[] = [];
  const okEnds: number[] = [];
  return {
    counts,
    samples,
    sampleBody: (status, body) => {
      if (!isOk(status)) keepSample(String(status), body);
    },
    okWithin: (ms) => okEnds.filter((t) => t - start <= ms).length,
    ok,
    failed,
    record(outcome, latencyMs, endedAt) {
      const success = isOk(outcome);
      if (success) {
        counts.ok++;
        okEnds.push(endedAt);
      } else if (outcome === 'error') counts.errors++;
      else if (outcome === 'timeout') counts.timeouts++;
      else {
        counts.non2xx++;
        counts.statuses[outcome] = (counts.statuses[outcome] ?? 0) + 1;
      }
      if (latencyMs !== null) (success ? ok : failed).record(latencyMs);
      const t = Math.floor((endedAt - start) / 1000);
      if (t < 0) return;
      const second = (seconds[t] ??= { ok: 0, failed: 0, latencies: [] });
      if (success) {
        second.ok++;
        if (latencyMs !== null) second.latencies.push(latencyMs);
      } else {
        second.failed++;
      }
    },
    data: () => ({
      counts: { ...counts, statuses: { ...counts.statuses } },
      samples: { ...samples },
      ok: ok.encode(),
      failed: failed.encode(),
      okEnds: okEnds.map((t) => t - start),
      seconds: Array.from({ length: seconds.length }, (_, t) => seconds[t] ?? null),
    }),
    absorb(other) {
      counts.ok += other.counts.ok;
      counts.non2xx += other.counts.non2xx;
      counts.errors += other.counts.errors;
      counts.timeouts += other.counts.timeouts;
      for (const [status, n] of Object.entries(other.counts.statuses))
        counts.statuses[status] = (counts.statuses[status] ?? 0) + n;
      for (const [status, body] of Object.entries(other.samples)) keepSample(status, body);
      ok.add(other.ok);
      failed.add(other.failed);
      for (const t of other.okEnds) okEnds.push(start + t);
      other.seconds.forEach((s, t) => {
        if (!s) return;
        const second = (seconds[t] ??= { ok: 0, failed: 0, latencies: [] });
        second.ok += s.ok;
        second.failed += s.failed;
        // A loop, not push(...): a busy second holds more latencies than a call takes arguments.
        for (const latency of s.latencies) second.latencies.push(latency);
      });
    },
    timeline(length) {
      return Array.from({ length }, (_, t) => {
        const s = seconds[t];
        const sorted = [...(s?.latencies ?? [])].sort((a, b) => a - b);
        const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
        return {
          t,
          ok: s?.ok ?? 0,
          failed: s?.failed ?? 0,
          p50: round(nearestRank(sorted, 50)),
          p99: round(nearestRank(sorted, 99)),
          healthP99: null,
        };
      });
    },
  };
}

/** The latency summary of an empty run, where nothing was measured. */
export function emptyLatency(): Latency {
  return createLatencyRecorder().summary();
}

/** Resolves at a performance.now() time (at once when it has passed). */
export async function waitUntil(at: number): Promise<void> {
  const wait = at - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
