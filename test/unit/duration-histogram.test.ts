import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../../server/observation/duration-histogram.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const help = 'durations';

describe('DurationHistogram: the request-duration histogram without per-observation label hashing', () => {
  it('counts by hand: values on a bound go in that bucket, buckets are cumulative, +Inf is the count', async () => {
    const registry = new Registry();
    const histogram = new DurationHistogram({ name: 'd_seconds', help, buckets: BUCKETS, registry });
    const series = histogram.series({ workload: 'db', mode: 'async', status: '200' });
    for (const v of [0.0005, 0.001, 0.005, 0.5, 2]) series.observe(v);
    const text = await registry.metrics();
    const labels = 'workload="db",mode="async",status="200"';
    expect(text).toContain(`d_seconds_bucket{le="0.001",${labels}} 2`);
    expect(text).toContain(`d_seconds_bucket{le="0.01",${labels}} 3`);
    expect(text).toContain(`d_seconds_bucket{le="0.1",${labels}} 3`);
    expect(text).toContain(`d_seconds_bucket{le="1",${labels}} 4`);
    expect(text).toContain(`d_seconds_bucket{le="+Inf",${labels}} 5`);
    expect(text).toContain(`d_seconds_sum{${labels}} 2.5065`);
    expect(text).toContain(`d_seconds_count{${labels}} 5`);
  });

  it("renders the same text and JSON as prom-client's Histogram given the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new DurationHistogram({ name: 'd_seconds', help, buckets: BUCKETS, registry: ours });
    const reference = new Histogram({
      name: 'd_seconds',
      help,
      buckets: BUCKETS,
      labelNames: ['workload', 'mode', 'status'],
      registers: [theirs],
    });
    const sets = [
      { workload: 'db', mode: 'async', status: '200' },
      { workload: 'cpu', mode: 'worker', status: '504' },
    ];
    sets.forEach((labels, k) => {
      const series = fast.series(labels);
      for (let i = 0; i < 40; i++) {
        const v = ((i * 37 + k * 11) % 100) / 40;
        series.observe(v);
        reference.observe(labels, v);
      }
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    ours.resetMetrics();
    expect(await ours.metrics()).toContain('d_seconds_count{workload="db",mode="async",status="200"} 0');
  });
});
