import { describe, expect, it } from 'vitest';
import { parseMetrics, windowFigures } from '../../loadtest/measure/server-metrics.ts';

/** A cluster's `/metrics` at one scrape: the totals, then one series per process. */
const scrape = (a: { active: number; idle: number; cpu: number; p99: number; max: number }, b: typeof a) => `
looplab_event_loop_active_seconds_total ${a.active + b.active}
looplab_event_loop_idle_seconds_total ${a.idle + b.idle}
looplab_event_loop_delay_seconds{stat="p99"} ${Math.max(a.p99, b.p99)}
looplab_event_loop_delay_seconds{stat="max"} ${Math.max(a.max, b.max)}
process_cpu_seconds_total ${a.cpu + b.cpu}
process_resident_memory_bytes 1048576
looplab_process_event_loop_active_seconds_total{pid="11"} ${a.active}
looplab_process_event_loop_active_seconds_total{pid="22"} ${b.active}
looplab_process_event_loop_idle_seconds_total{pid="11"} ${a.idle}
looplab_process_event_loop_idle_seconds_total{pid="22"} ${b.idle}
looplab_process_event_loop_delay_seconds{pid="11",stat="p99"} ${a.p99}
looplab_process_event_loop_delay_seconds{pid="11",stat="max"} ${a.max}
looplab_process_event_loop_delay_seconds{pid="22",stat="p99"} ${b.p99}
looplab_process_event_loop_delay_seconds{pid="22",stat="max"} ${b.max}
looplab_process_cpu_seconds_total{pid="11"} ${a.cpu}
looplab_process_cpu_seconds_total{pid="22"} ${b.cpu}
`;

describe("a cluster's window figures", () => {
  it('are given in total and per process: a blocked process is not hidden by an idle one', () => {
    const zero = { active: 0, idle: 0, cpu: 0, p99: 0, max: 0 };
    const before = parseMetrics(scrape(zero, zero));
    // Over 10 s: process 11 busy 9.9 s of 10 with 0.5 s stalls, process 22 idle.
    const after = parseMetrics(
      scrape(
        { active: 9.9, idle: 0.1, cpu: 9.9, p99: 0.5, max: 0.6 },
        { active: 0.1, idle: 9.9, cpu: 0.2, p99: 0.001, max: 0.002 },
      ),
    );
    const figures = windowFigures(before, after, 10);
    expect(figures?.eventLoopUtilization).toBeCloseTo(0.5);
    expect(figures?.eventLoopDelayP99Ms).toBeCloseTo(500);
    expect(figures?.cpuCores).toBeCloseTo(1.01);
    expect(figures?.processes).toEqual([
      {
        pid: 11,
        eventLoopUtilization: expect.closeTo(0.99),
        eventLoopDelayP99Ms: 500,
        eventLoopDelayMaxMs: 600,
        cpuCores: expect.closeTo(0.99),
      },
      {
        pid: 22,
        eventLoopUtilization: expect.closeTo(0.01),
        eventLoopDelayP99Ms: 1,
        eventLoopDelayMaxMs: 2,
        cpuCores: expect.closeTo(0.02),
      },
    ]);
  });

  it('leave out a process that was not there at the start of the window (restarted meanwhile)', () => {
    const zero = { active: 0, idle: 0, cpu: 0, p99: 0, max: 0 };
    const before = parseMetrics(scrape(zero, zero).replaceAll('pid="22"', 'pid="33"'));
    const figures = windowFigures(before, parseMetrics(scrape(zero, zero)), 10);
    expect(figures?.processes?.map((p) => p.pid)).toEqual([11]);
  });
});
