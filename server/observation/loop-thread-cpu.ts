import { Counter, type Registry } from 'prom-client';

/**
 * The event-loop thread's own CPU time, apart from `process_cpu_seconds_total`, which counts every thread
 * of the process: worker threads starting up or finishing cancelled tasks, the libuv pool, V8's helpers.
 * The harness's single-thread baseline reads it (loadtest/measure/baseline.ts). A Node without
 * `process.threadCpuUsage` (before 22.19 / 23.9) gets no series, and the harness falls back to the process's.
 */
export function registerLoopThreadCpu(registry: Registry): void {
  if (typeof process.threadCpuUsage !== 'function') return;
  new Counter({
    name: 'looplab_event_loop_thread_cpu_seconds_total',
    help: "CPU time of the event-loop thread alone (user + system) since the process started; process_cpu_seconds_total counts all the process's threads.",
    registers: [registry],
    collect() {
      const { user, system } = process.threadCpuUsage();
      this.reset();
      this.inc((user + system) / 1e6);
    },
  });
}
