import { AggregatorRegistry } from 'prom-client';
import type { MetricJson, ProcessMetrics } from './messages.ts';

/**
 * Figures that also appear once per process (label `pid`), because their aggregate hides what one
 * process does: a blocked event loop in one of two processes reads as 50% busy in the average.
 */
const PER_PROCESS: Readonly<Record<string, string>> = {
  looplab_event_loop_delay_seconds: 'looplab_process_event_loop_delay_seconds',
  looplab_event_loop_delay_samples: 'looplab_process_event_loop_delay_samples',
  looplab_event_loop_utilization: 'looplab_process_event_loop_utilization',
  looplab_event_loop_active_seconds_total: 'looplab_process_event_loop_active_seconds_total',
  looplab_event_loop_idle_seconds_total: 'looplab_process_event_loop_idle_seconds_total',
  process_cpu_seconds_total: 'looplab_process_cpu_seconds_total',
  process_resident_memory_bytes: 'looplab_process_resident_memory_bytes',
  looplab_resident_memory_peak_bytes: 'looplab_process_resident_memory_peak_bytes',
};

export interface ProcessSample {
  pid: number;
  metrics: ProcessMetrics;
}

function perProcessCopies(processes: readonly ProcessSample[]): MetricJson[] {
  const copies = new Map<string, MetricJson>();
  const copyOf = (name: string, from: Pick<MetricJson, 'help' | 'type'>) => {
    let copy = copies.get(name);
    if (!copy)
      copies.set(
        name,
        (copy = { name, help: `Per server process: ${from.help}`, type: from.type, aggregator: 'sum', values: [] }),
      );
    return copy;
  };
  for (const { pid, metrics } of processes) {
    for (const metric of metrics) {
      const name = PER_PROCESS[metric.name];
      if (name)
        copyOf(name, metric).values.push(
          ...metric.values.map((v) => ({ value: v.value, labels: { pid, ...v.labels } })),
        );
      if (metric.name === 'looplab_request_duration_seconds') {
        const done = metric.values
          .filter((v) => v.metricName === 'looplab_request_duration_seconds_count')
          .reduce((sum, v) => sum + v.value, 0);
        copyOf('looplab_process_workload_requests_total', {
          help: 'Workload requests finished, whatever their status.',
          type: 'counter',
        }).values.push({ value: done, labels: { pid } });
      }
    }
  }
  return [...copies.values()];
}

/**
 * The `/metrics` text of a cluster: every metric aggregated over the processes by prom-client's
 * `AggregatorRegistry.aggregate`, each with its own aggregator (sum unless the metric says otherwise:
 * counters, histogram buckets, pool sizes and CPU seconds add up; utilizations average; the loop-delay
 * percentiles and maximum take the worst process), then the per-process copies above. A process
 * contributes the same scrape to both, so the totals are exactly the sums of the per-process figures.
 */
export function aggregateProcesses(processes: readonly ProcessSample[]): Promise<string> {
  const registry = AggregatorRegistry.aggregate([...processes.map((p) => p.metrics), perProcessCopies(processes)]);
  return registry.metrics();
}
