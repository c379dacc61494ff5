import { build, type Histogram } from 'hdr-histogram-js';
import type { Latency } from './types.ts';

/** An HDR histogram of latencies, recorded in microseconds and read out in milliseconds. */
export interface LatencyRecorder {
  record(ms: number): void;
  readonly count: number;
  summary(): Latency;
}

export function createLatencyRecorder(): LatencyRecorder {
  const histogram: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    record: (latencyMs) => histogram.recordValue(Math.max(1, Math.round(latencyMs * 1000))),
    get count() {
      return histogram.totalCount;
    },
    summary: () =>
      histogram.totalCount === 0
        ? { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 }
        : {
            p50: ms(histogram.getValueAtPercentile(50)),
            p90: ms(histogram.getValueAtPercentile(90)),
            p99: ms(histogram.getValueAtPercentile(99)),
            p999: ms(histogram.getValueAtPercentile(99.9)),
            max: ms(histogram.maxValue),
            mean: ms(histogram.mean),
          },
  };
}
