import type { Metric, Registry } from 'prom-client';

/** One label set's counts: what a request adds to on its way out. */
export interface DurationSeries {
  observe(seconds: number): void;
}

/** A value as prom-client's registry formats it: its own labels, then the series' (shared) ones. */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  metricName: string;
  /** prom-client's field (OpenMetrics exemplars), never set here. */
  exemplar?: null;
}

class Series implements DurationSeries {
  /** Observations per bucket (not cumulative), the last one past every bound (`+Inf`). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  readonly labels: Readonly<Record<string, string>>;
  readonly bounds: readonly number[];

  constructor(labels: Readonly<Record<string, string>>, bounds: readonly number[]) {
    this.labels = labels;
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    // prom-client's rule: the first bucket whose upper bound the value does not exceed.
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += seconds;
    this.count += 1;
  }
}

export interface DurationHistogramOptions {
  name: string;
  help: string;
  /** Upper bounds in seconds, ascending. */
  buckets: readonly number[];
  registry: Registry;
}

/**
 * A Prometheus histogram whose label sets are looked up once: {@link DurationHistogram.series} gives
 * the counts of one label set, and a request's `observe` on it is a bucket search and three additions.
 * prom-client's own labelled child builds a label object, checks every label name and hashes the set
 * on every observation, which a CPU profile of `/db/async?queries=1` under load showed among the
 * request path's own costs. To prom-client's registry (and a cluster's aggregation) it is the
 * histogram it replaces: the same name, type, samples and labels, in the same order.
 */
export class DurationHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly #bounds: readonly number[];
  #series: Series[] = [];

  constructor({ name, help, buckets, registry }: DurationHistogramOptions) {
    this.name = name;
    this.help = help;
    this.#bounds = [...buckets];
    // prom-client's registry reads any object with this shape; its type lists only its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The counts of one label set (keep it: each call starts a new series). */
  series(labels: Readonly<Record<string, string>>): DurationSeries {
    const series = new Series(labels, this.#bounds);
    this.#series.push(series);
    return series;
  }

  /** The samples, as prom-client's Histogram gives them for the text format. */
  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: Sample[];
  }> {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.#series) {
      let cumulative = 0;
      this.#bounds.forEach((le, i) => {
        cumulative += s.counts[i] as number;
        values.push({ value: cumulative, labels: { le }, sharedLabels: s.labels, metricName: bucket, exemplar: null });
      });
      values.push(
        { value: s.count, labels: { le: '+Inf' }, sharedLabels: s.labels, metricName: bucket, exemplar: null },
        { value: s.sum, labels: {}, sharedLabels: s.labels, metricName: `${this.name}_sum` },
        { value: s.count, labels: {}, sharedLabels: s.labels, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** The same samples with each series' labels after its own, as prom-client's `get()` (JSON, cluster aggregation). */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: object[] }> {
    const metric = await this.getForPromString();
    return {
      ...metric,
      values: metric.values.map(({ sharedLabels, labels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }

  /** Forgets every count (prom-client's `registry.resetMetrics()`); series handed out start again from zero. */
  reset(): void {
    for (const s of this.#series) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
