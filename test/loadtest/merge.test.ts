import { describe, expect, it } from 'vitest';
import type { GeneratorReport } from '../../loadtest/measure/generator-job.ts';
import { createLatencyRecorder } from '../../loadtest/measure/latency-histogram.ts';
import { mergeReports, splitConnections } from '../../loadtest/measure/merge.ts';
import { createOutcomeLog } from '../../loadtest/measure/outcome-log.ts';

/**
 * 1000 latencies whose percentiles are known by hand. HdrHistogram at 3 significant digits and 1 µs
 * units keeps every value below 2048 µs exactly; above that a bucket is 2^k µs wide and a percentile
 * reads as its bucket's top.
 *   - 989 values 1, 2, …, 989 µs (exact buckets);
 *   - 10 values 123 456 µs: in [65 536, 131 072) a bucket is 64 µs wide, and 123 456 = 1929 × 64, so
 *     the bucket is 123 456..123 519 and a percentile landing there reads 123.519 ms;
 *   - 1 value 200 000 µs, the maximum (its bucket, 128 µs wide, tops out at 200 063).
 * HdrHistogram's percentile p is the value at rank round(p% × 1000): p50 rank 500 → 0.5 ms, p90 rank
 * 900 → 0.9 ms, p99 rank 990 and p99.9 rank 999 → both in the 123 456 bucket → 123.519 ms. The max is
 * the exact 200 ms, not the bucket top. The mean takes each bucket's middle: (Σ1..989 + 10 × 123 487
 * + 200 063) / 1000 = (489 555 + 1 234 870 + 200 063) / 1000 = 1924.488 µs → 1.924 ms.
 */
const SAMPLES_US = [
  ...Array.from({ length: 989 }, (_, i) => i + 1),
  ...Array.from({ length: 10 }, () => 123_456),
  200_000,
];
const EXPECTED = { n: 1000, p50: 0.5, p90: 0.9, p99: 123.519, p999: 123.519, max: 200, mean: 1.924 };

describe('merging histograms from several generators', () => {
  it('one recorder given every sample answers the hand-computed percentiles', () => {
    const single = createLatencyRecorder();
    for (const us of SAMPLES_US) single.record(us / 1000);
    expect(single.summary()).toEqual(EXPECTED);
  });

  it.each([2, 3, 7])(
    'the samples dealt round-robin to %i recorders and added back answer the same, to the microsecond',
    (parts) => {
      const recorders = Array.from({ length: parts }, () => createLatencyRecorder());
      SAMPLES_US.forEach((us, i) => recorders[i % parts]?.record(us / 1000));
      const merged = createLatencyRecorder();
      for (const r of recorders) merged.add(r.encode());
      expect(merged.summary()).toEqual(EXPECTED);
    },
  );

  it('keeps the exact maximum, which the compressed encoding alone rounds up to its bucket top', () => {
    // Split so the 200 ms sample is alone in one recorder: after decoding, only the carried maximum
    // stops the merged max (and every percentile clamped to it) reading 200.063 ms.
    const rest = createLatencyRecorder();
    const top = createLatencyRecorder();
    for (const us of SAMPLES_US.slice(0, -1)) rest.record(us / 1000);
    top.record(200);
    const merged = createLatencyRecorder();
    merged.add(rest.encode());
    merged.add(top.encode());
    expect(merged.summary().max).toBe(200);
    expect(merged.curve().at(-1)).toEqual([100, 200]);
  });

  it('adding an empty recorder changes nothing', () => {
    const merged = createLatencyRecorder();
    merged.add(createLatencyRecorder().encode());
    expect(merged.summary()).toEqual({ n: 0, p50: null, p90: null, p99: null, p999: null, max: null, mean: null });
  });
});

describe('merging generator reports', () => {
  /** A report as a generator process sends it, from a log that started at `start`. */
  function report(
    start: number,
    entries: Array<[number | 'error', number | null, number]>,
    extra: Partial<GeneratorReport> = {},
  ): GeneratorReport {
    const log = createOutcomeLog(start);
    for (const [outcome, latency, at] of entries) log.record(outcome, latency, start + at);
    return {
      due: entries.length,
      windowSeconds: 2,
      dropped: 0,
      abandoned: 0,
      log: log.data(),
      sendLag: null,
      cpuSeconds: 0.25,
      ...extra,
    };
  }

  it('sums counts and CPU, joins the timelines and keeps answers within the window apart from late ones', () => {
    // Two generators whose processes have different clocks: each log's times are relative to its start.
    const a = report(5000, [
      [200, 10, 100],
      [503, 1, 1200],
      [200, 30, 2500],
    ]);
    const b = report(
      90_000,
      [
        [200, 20, 900],
        ['error', null, 1500],
      ],
      { dropped: 2, abandoned: 1, due: 4 },
    );
    const merged = mergeReports('open', [a, b], 1_000_000, 3.5);
    expect(merged.log.counts).toEqual({ ok: 3, non2xx: 1, errors: 1, timeouts: 0, statuses: { 503: 1 } });
    // Due 3 + 4 at 3.5/s: a 2 s schedule, as one generator would have had it.
    expect(merged.due).toBe(7);
    expect(merged.windowSeconds).toBe(2);
    expect([merged.dropped, merged.abandoned]).toEqual([2, 1]);
    // The answer 2.5 s after the start is late: in ok, not in the window's throughput.
    expect(merged.log.okWithin(2000)).toBe(2);
    // p50 is rank 2, the 20 ms answer, read as its bucket's top: 16 µs wide there, so 20.015 ms.
    expect(merged.log.ok.summary()).toMatchObject({ n: 3, p50: 20.015, max: 30 });
    expect(merged.log.timeline(3).map((s) => [s.ok, s.failed])).toEqual([
      [2, 0],
      [0, 2],
      [1, 0],
    ]);
    expect(merged.childCpuSeconds).toEqual([0.25, 0.25]);
    expect(merged.sendLag).toMatchObject({ n: 0 });
  });

  it('closed model: the window is the longest generator run, and there is no send lag', () => {
    const merged = mergeReports(
      'closed',
      [report(0, [], { windowSeconds: 2.01 }), report(0, [], { windowSeconds: 2.04 })],
      0,
      undefined,
    );
    expect(merged.windowSeconds).toBe(2.04);
    expect(merged.sendLag).toBeNull();
  });
});

describe('splitting connections', () => {
  it('splits them so they sum to the total, the first generators taking the remainder', () => {
    expect(splitConnections(5, 2)).toEqual([3, 2]);
    expect(splitConnections(20, 3)).toEqual([7, 7, 6]);
    expect(splitConnections(4, 4)).toEqual([1, 1, 1, 1]);
  });
});
