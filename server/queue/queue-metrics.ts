import { Gauge, Histogram, type Registry } from 'prom-client';
import type { JobQueue, JobTiming } from './job-queue.ts';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Registers queue mode's metrics and returns the observer for finished jobs. A queue request's time
 * is wait (enqueue → a worker took it) + run (the workload in the worker) + the trip back; the request
 * duration histogram has the total, so the harness can tell the queue's own cost apart.
 * @param queue read at scrape time (the queue is created after its metrics).
 */
export function registerQueueMetrics(
  registry: Registry,
  queue: () => JobQueue | undefined,
): (timing: JobTiming) => void {
  const wait = new Histogram({
    name: 'looplab_queue_wait_seconds',
    help: 'Queue mode: time a job waited for a worker (BullMQ processedOn − timestamp), by workload.',
    labelNames: ['workload'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const run = new Histogram({
    name: 'looplab_queue_processing_seconds',
    help: 'Queue mode: time the workload ran in its queue worker process, by workload.',
    labelNames: ['workload'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'looplab_queue_in_flight',
    help: 'Queue mode: jobs this server has in the queue, waiting or running (at most QUEUE_MAX).',
    registers: [registry],
    collect() {
      this.set(queue()?.inFlight ?? 0);
    },
  });
  return function observeJob({ workload, waitMs, runMs }) {
    wait.labels({ workload }).observe(Math.max(0, waitMs) / 1000);
    run.labels({ workload }).observe(runMs / 1000);
  };
}
