import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { ERROR_CODES, failureReasons } from '../../lib/error-codes.ts';
import type { WorldStore } from '../clients/index.ts';
import { createLoopDelayMonitor, LOOP_SAMPLE_INTERVAL_MS, type LoopDelayWindow } from './loop-delay.ts';
import type { WorkerPool } from '../offload/worker-pool.ts';
import type { WorkLabel } from '../routes/app-env.ts';
import { DurationHistogram } from './duration-histogram.ts';
import { labelledChildren } from './metric-children.ts';
import { createMemoryPeak, RSS_SAMPLE_INTERVAL_MS } from './memory-peak.ts';
import { registerLoopThreadCpu } from './loop-thread-cpu.ts';

/** The server's Prometheus metrics; one registry per app so several apps can share a process (tests). */
/** The failures counter's help text, from the error registry: each reason with the statuses it is answered with. */
function failuresHelp(): string {
  const reasons = failureReasons().map((reason) => {
    const statuses = new Set(Object.values(ERROR_CODES).flatMap((e) => (e.reason === reason ? [e.status] : [])));
    return `${reason} (${[...statuses].join(', ')})`;
  });
  return `Workload requests that failed, by reason: ${reasons.join(', ')}.`;
}

export interface Metrics {
  readonly registry: Registry;
  /** The text `/metrics` answers with: this registry's, or in a cluster the aggregate of every process. */
  render(): Promise<string>;
  observeRequest(work: WorkLabel, status: number, seconds: number): void;
  /** Counts a workload request that ended in a refusal, a timeout or a dependency error. */
  countFailure(work: WorkLabel, reason: string): void;
}

export interface MetricsSources {
  pool: WorkerPool;
  db: WorldStore;
}

export function createMetrics({ pool, db }: MetricsSources): Metrics {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_{min,max,mean,p50,p90,p99}_seconds. prom-client resets that
  // histogram on every scrape, and each of its samples includes the 10 ms sampling interval itself
  // (an idle loop reads ~10 ms): looplab_event_loop_delay_seconds below is the figure to read.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });

  // One window per scrape, shared by the two gauges below so both describe the same span of time.
  const loopDelay = createLoopDelayMonitor();
  let lastWindow: LoopDelayWindow = { p50Ms: 0, p99Ms: 0, maxMs: 0, samples: 0 };
  new Gauge({
    name: 'looplab_event_loop_delay_seconds',
    help:
      `Event-loop delay beyond the ${LOOP_SAMPLE_INTERVAL_MS} ms sampling interval since the previous scrape: ` +
      `time-weighted p50 and p99, and the longest stall (max).`,
    labelNames: ['stat'] as const,
    registers: [registry],
    // Across a cluster's processes: the worst process (a p99 of the merged windows is never above it).
    aggregator: 'max',
    collect() {
      lastWindow = loopDelay.takeWindow();
      this.set({ stat: 'p50' }, lastWindow.p50Ms / 1000);
      this.set({ stat: 'p99' }, lastWindow.p99Ms / 1000);
      this.set({ stat: 'max' }, lastWindow.maxMs / 1000);
    },
  });
  new Gauge({
    name: 'looplab_event_loop_delay_samples',
    help: 'Samples behind looplab_event_loop_delay_seconds, counting the ticks filled in for a stall.',
    registers: [registry],
    collect() {
      this.set(lastWindow.samples);
    },
  });

  const requestDuration = new DurationHistogram({
    name: 'looplab_request_duration_seconds',
    help: 'Duration of workload requests, from routing to response, by workload, mode and status.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registry,
  });

  const failures = new Counter({
    name: 'looplab_request_failures_total',
    help: failuresHelp(),
    labelNames: ['workload', 'mode', 'reason'] as const,
    registers: [registry],
  });

  let sinceScrape: EventLoopUtilization = performance.eventLoopUtilization();
  new Gauge({
    name: 'looplab_event_loop_utilization',
    help: 'Share of time the event loop was busy (0..1) since the previous scrape of this metric.',
    registers: [registry],
    aggregator: 'average',
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, sinceScrape).utilization);
      sinceScrape = now;
    },
  });
  // Running totals let any scraper compute utilization over its own window: Δactive / (Δactive + Δidle).
  new Counter({
    name: 'looplab_event_loop_active_seconds_total',
    help: 'Time the event loop spent running callbacks since the process started.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(performance.eventLoopUtilization().active / 1000);
    },
  });
  new Counter({
    name: 'looplab_event_loop_idle_seconds_total',
    help: 'Time the event loop spent waiting for events since the process started.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(performance.eventLoopUtilization().idle / 1000);
    },
  });

  registerLoopThreadCpu(registry);

  const memoryPeak = createMemoryPeak();
  new Gauge({
    name: 'looplab_resident_memory_peak_bytes',
    help: `The process's highest resident memory since the previous scrape of this metric (sampled every ${RSS_SAMPLE_INTERVAL_MS} ms).`,
    registers: [registry],
    collect() {
      this.set(memoryPeak.takePeak());
    },
  });
  // Each worker thread's own memory as of its last task (offload/thread-memory.ts).
  new Gauge({
    name: 'looplab_worker_thread_memory_bytes',
    help: "Mean over the worker threads of each one's own V8 isolate memory (heap pages, V8 malloc, external), as of its last task.",
    registers: [registry],
    aggregator: 'average',
    collect() {
      this.set(pool.threadMemory().meanBytes);
    },
  });
  new Gauge({
    name: 'looplab_worker_thread_memory_max_bytes',
    help: 'The largest of the worker threads’ own memory (as looplab_worker_thread_memory_bytes), as of their last tasks.',
    registers: [registry],
    aggregator: 'max',
    collect() {
      this.set(pool.threadMemory().maxBytes);
    },
  });
  new Gauge({
    name: 'looplab_worker_threads_reporting',
    help: 'Worker threads that have reported their memory (run a task) since they started.',
    registers: [registry],
    aggregator: 'sum',
    collect() {
      this.set(pool.threadMemory().threads);
    },
  });
  new Gauge({
    name: 'looplab_worker_pool_queue_size',
    help: 'Tasks waiting for a free worker thread.',
    registers: [registry],
    collect() {
      this.set(pool.queueSize);
    },
  });
  new Gauge({
    name: 'looplab_worker_pool_utilization',
    help: "Share of the worker pool's capacity spent running tasks since it started (piscina), 0..1.",
    registers: [registry],
    aggregator: 'average',
    collect() {
      this.set(pool.utilization);
    },
  });
  new Gauge({
    name: 'looplab_worker_pool_threads',
    help: 'Threads in the worker pool.',
    registers: [registry],
    collect() {
      this.set(pool.threads);
    },
  });
  new Gauge({
    name: 'looplab_db_pool_in_use',
    help: "Connections of the event-loop thread's async DB pool busy with a query.",
    registers: [registry],
    collect() {
      this.set(Math.min(db.inFlight, db.poolSize));
    },
  });
  new Gauge({
    name: 'looplab_db_pool_size',
    help: "Connections allowed in the event-loop thread's async DB pool (DB_POOL).",
    registers: [registry],
    collect() {
      this.set(db.poolSize);
    },
  });
  new Gauge({
    name: 'looplab_db_queries_waiting',
    help: 'Queries sent to the async DB pool beyond its size, waiting for a connection.',
    registers: [registry],
    collect() {
      this.set(Math.max(0, db.inFlight - db.poolSize));
    },
  });

  // Label children are looked up once per workload/mode/status, not hashed from a label object per request.
  const durationOf = labelledChildren((work, status: number) =>
    requestDuration.series({ ...work, status: String(status) }),
  );
  const failuresOf = labelledChildren((work, reason: string) => failures.labels({ ...work, reason }));
  return {
    registry,
    render: () => registry.metrics(),
    observeRequest: (work, status, seconds) => durationOf(work, status).observe(seconds),
    countFailure: (work, reason) => failuresOf(work, reason).inc(),
  };
}
