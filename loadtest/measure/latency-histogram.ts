import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { Latency } from '../types.ts';

/**
 * A recorder's contents in transit between processes: HdrHistogram's compressed encoding (the format
 * autocannon's workers send their histograms in) and the exact maximum in µs, which the encoding does
 * not keep (it stores bucket counts, so a decoded histogram's maximum is the top of its bucket).
 */
export interface EncodedLatencies {
  hdr: string;
  maxUs: number;
}

/** An HDR histogram of latencies, recorded in microseconds and read out in milliseconds. */
export interface LatencyRecorder {
  record(ms: number): void;
  /** Everything recorded so far, for another process to `add`. */
  encode(): EncodedLatencies;
  /**
   * Adds another recorder's samples (HdrHistogram's `add`: bucket counts summed), so every percentile is
   * what one recorder given all the samples would answer — percentiles are merged, never averaged.
   */
  add(other: EncodedLatencies): void;
  readonly count: number;
  summary(): Latency;
  /** The classic HDR percentile curve: [percentile, ms] pairs up to the largest value, for plots. */
  curve(): Array<[number, number]>;
}

/**
 * The samples percentile `p` needs: at least one sample must lie above it, so p99 needs 100 samples and
 * p99.9 needs 1000. Below that the "percentile" is just the maximum.
 */
export function samplesFor(p: number): number {
  return Math.round(100 / (100 - p));
}

/** Whether `n` samples support percentile `p` ({@link samplesFor}). */
export function supports(n: number, p: number): boolean {
  return n >= samplesFor(p);
}

const PERCENTILES = { p50: 50, p90: 90, p99: 99, p999: 99.9 } as const;
/** Points of the percentile curve: 1 − 10^(−k/4), i.e. four per "nine", as HdrHistogram plots them. */
const CURVE_STEPS = 28;

export function createLatencyRecorder(): LatencyRecorder {
  const histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const ms = (us: number) => Math.round(us) / 1000;
  // Kept apart from the histogram's own maximum, which an `add` of a decoded histogram would round up.
  let maxUs = 0;
  // HdrHistogram answers with the top of a value's bucket (0.1% wide), which can exceed the largest
  // value recorded; a percentile is never above the maximum.
  const at = (p: number) => ms(Math.min(histogram.getValueAtPercentile(p), maxUs));
  return {
    record: (latencyMs) => {
      const us = Math.max(1, Math.round(latencyMs * 1000));
      histogram.recordValue(us);
      maxUs = Math.max(maxUs, us);
    },
    encode: () => ({ hdr: encodeIntoCompressedBase64(histogram), maxUs }),
    add: (other) => {
      if (other.maxUs === 0) return;
      const decoded = decodeFromCompressedBase64(other.hdr);
      histogram.add(decoded);
      decoded.destroy();
      maxUs = Math.max(maxUs, other.maxUs);
    },
    get count() {
      return histogram.totalCount;
    },
    summary: () => {
      const n = histogram.totalCount;
      const pick = (p: number) => (n > 0 && supports(n, p) ? at(p) : null);
      return {
        n,
        p50: pick(PERCENTILES.p50),
        p90: pick(PERCENTILES.p90),
        p99: pick(PERCENTILES.p99),
        p999: pick(PERCENTILES.p999),
        max: n > 0 ? ms(maxUs) : null,
        mean: n > 0 ? ms(histogram.mean) : null,
      };
    },
    curve: () => {
      const n = histogram.totalCount;
      // No answers, no curve: a point at [0, 0] would draw a 0 ms latency nobody measured.
      if (n === 0) return [];
      const points: Array<[number, number]> = [];
      for (let k = 0; k <= CURVE_STEPS; k++) {
        const p = 100 * (1 - 10 ** (-k / 4));
        if (!supports(n, p) && k > 0) break;
        points.push([Math.round(p * 10_000) / 10_000, at(p)]);
      }
      points.push([100, ms(maxUs)]);
      return points;
    },
  };
}
