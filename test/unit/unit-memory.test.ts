import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseMetrics, readByPid, windowFigures } from '../../loadtest/measure/server-metrics.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import { registerQueueWorkerMemory, residentBytesOf } from '../../server/queue/queue-worker-memory.ts';
import { fixedResults, fixedScenario } from '../loadtest/fixture-results.ts';

/** The least of /metrics a snapshot needs, plus the unit memory lines under test. */
const metrics = (extra: string) => `looplab_event_loop_active_seconds_total 1
looplab_event_loop_idle_seconds_total 1
looplab_event_loop_delay_seconds{stat="p99"} 0
looplab_event_loop_delay_seconds{stat="max"} 0
process_cpu_seconds_total 1
process_resident_memory_bytes 104857600
${extra}`;

describe('memory per worker thread and per queue worker, by hand', () => {
  it('gives the mean and the largest in MiB to one decimal, with the count', () => {
    const after = parseMetrics(
      metrics(`looplab_worker_thread_memory_bytes 12897485
looplab_worker_thread_memory_max_bytes 15728640
looplab_worker_threads_reporting 4
looplab_queue_worker_resident_memory_bytes{pid="101"} 104857600
looplab_queue_worker_resident_memory_bytes{pid="102"} 115343360`),
    );
    const memory = windowFigures(after, after)?.memory;
    // 12 897 485 B ÷ 1 048 576 = 12.30 MiB; 15 728 640 B = 15 MiB exactly; (100 + 110) ÷ 2 = 105 MiB.
    expect(memory).toEqual({
      workerThreadMb: 12.3,
      workerThreadMaxMb: 15,
      workerThreads: 4,
      queueWorkerMb: 105,
      queueWorkerMaxMb: 110,
      queueWorkers: 2,
    });
  });

  it('leaves the figures out when the server has no such unit, or no thread has run a task yet', () => {
    expect(windowFigures(parseMetrics(metrics('')), parseMetrics(metrics('')))?.memory).toBeUndefined();
    const idle = parseMetrics(metrics('looplab_worker_threads_reporting 0\nlooplab_worker_thread_memory_bytes 0'));
    expect(windowFigures(idle, idle)?.memory).toBeUndefined();
  });

  it('shows one unit of the row’s own concurrency in the table: a thread in worker mode, a process in queue mode', () => {
    const worker = fixedScenario('hash', 'worker', 40, 200);
    const queue = fixedScenario('hash', 'queue', 40, 200);
    const blocking = fixedScenario('hash', 'blocking', 40, 200);
    for (const r of [worker, queue, blocking])
      for (const run of r.runs)
        if (run.server)
          run.server.memory = { workerThreadMb: 12.3, workerThreads: 4, queueWorkerMb: 105, queueWorkers: 2 };
    const table = buildTable(fixedResults([blocking, worker, queue]));
    const column = table.headers.indexOf('unit MB');
    expect(table.sections[0]?.rows.map((row) => row[column])).toEqual(['–', '12.3 × 4 thr', '105 × 2 proc']);
  });
});

describe("a queue worker process's resident memory, from /proc", () => {
  it.skipIf(process.platform !== 'linux')('reads the same figure the process gives of itself', async () => {
    const bytes = await residentBytesOf(process.pid);
    const own = process.memoryUsage.rss();
    expect(bytes).toBeGreaterThan(own * 0.8);
    expect(bytes).toBeLessThan(own * 1.2);
    expect(await residentBytesOf(2 ** 22 + 1)).toBeUndefined(); // above Linux's pid_max: no such process
  });

  it.skipIf(process.platform !== 'linux')('puts one series per process the server started into /metrics', async () => {
    const registry = new Registry();
    registerQueueWorkerMemory(registry, () => [process.pid]);
    const lines = readByPid(await registry.metrics(), 'looplab_queue_worker_resident_memory_bytes');
    expect([...lines.keys()]).toEqual([process.pid]);
    expect(lines.get(process.pid)).toBeGreaterThan(10 * 2 ** 20);
  });
});
