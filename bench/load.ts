import { runClosedModel } from '../loadtest/measure/closed-model.ts';
import { processCpuMicros } from './process-cpu.ts';

/** One autocannon run against one URL, with the generator's own CPU share. */
export interface LoadRun {
  rps: number;
  /** Responses that were not 2xx, plus connection errors and timeouts: a run with any is suspect. */
  failures: number;
  p99Ms: number;
  /** CPU the generator (this process) used, as a share of one core: near 1 means it may be the limit. */
  generatorCpu: number;
  /** CPU the server process used per answered request, µs (all its threads); null without /proc. */
  serverCpuUsPerRequest: number | null;
  /** The server process measured (with `--fresh-servers`, a new one every round); null when not given. */
  serverPid: number | null;
}

/** Loads `url` for `durationSeconds`; `serverPid` is the process answering, whose CPU is read around the run. */
export async function loadOnce(
  url: string,
  connections: number,
  durationSeconds: number,
  serverPid?: number,
): Promise<LoadRun> {
  const serverBefore = serverPid === undefined ? null : processCpuMicros(serverPid);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await runClosedModel({ url, connections, durationSeconds, timeoutSeconds: 10 });
  const cpu = process.cpuUsage(cpuBefore);
  const wallMicros = (performance.now() - started) * 1000;
  const serverAfter = serverPid === undefined ? null : processCpuMicros(serverPid);
  const { ok, non2xx, errors, timeouts } = result.log.counts;
  const answered = ok + non2xx;
  return {
    // Throughput is successful answers only, as in the load harness: a fast refusal is not service.
    rps: ok / result.windowSeconds,
    failures: non2xx + errors + timeouts,
    // The 2xx latencies' p99, or their maximum when the sample is too small for a p99.
    p99Ms: result.log.ok.summary().p99 ?? result.log.ok.summary().max ?? Number.NaN,
    generatorCpu: Math.round(((cpu.user + cpu.system) / wallMicros) * 100) / 100,
    serverPid: serverPid ?? null,
    serverCpuUsPerRequest:
      serverBefore === null || serverAfter === null || answered === 0
        ? null
        : Math.round(((serverAfter - serverBefore) / answered) * 10) / 10,
  };
}
