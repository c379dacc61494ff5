import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { readSample } from '../../loadtest/measure/server-metrics.ts';
import { registerLoopThreadCpu } from '../../server/observation/loop-thread-cpu.ts';

const registry = new Registry();
registerLoopThreadCpu(registry);
const loopSeconds = async () =>
  readSample(await registry.metrics(), 'looplab_event_loop_thread_cpu_seconds_total') as number;
const processSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Spins until the calling thread has used MS ms of CPU (CPU, not wall time: the machine may be busy). */
const SPIN =
  'const cpu = () => { const t = process.threadCpuUsage(); return (t.user + t.system) / 1000; };' +
  'const until = cpu() + MS; while (cpu() < until);';

it("counts the event-loop thread's CPU and not a worker thread's beside it", async () => {
  const [loop0, all0] = [await loopSeconds(), processSeconds()];
  const worker = new Worker(SPIN.replace('MS', '300'), { eval: true });
  await once(worker, 'exit');
  const [loop1, all1] = [await loopSeconds(), processSeconds()];
  // The worker's 300 ms spin is in the process's CPU, at most its start-up crumbs in the loop thread's.
  expect(all1 - all0).toBeGreaterThan(0.25);
  expect(loop1 - loop0).toBeLessThan(0.15);

  new Function('process', SPIN.replace('MS', '200'))(process);
  expect((await loopSeconds()) - loop1).toBeGreaterThan(0.15);
});
