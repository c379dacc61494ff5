import { runClosedModel } from '../loadtest/closed-model.ts';

/** One autocannon run against one URL, with the generator's own CPU share. */
export interface LoadRun {
  rps: number;
  /** Responses that were not 2xx, plus connection errors and timeouts: a run with any is suspect. */
  failures: number;
  p99Ms: number;
  /** CPU the generator (this process) used, as a share of one core: near 1 means it may be the limit. */
  generatorCpu: number;
}

export async function loadOnce(url: string, connections: number, durationSeconds: number): Promise<LoadRun> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await runClosedModel({ url, connections, durationSeconds, timeoutSeconds: 10 });
  const cpu = process.cpuUsage(cpuBefore);
  const wallMicros = (performance.now() - started) * 1000;
  return {
    rps: result.rps,
    failures: result.non2xx + result.errors + result.timeouts,
    p99Ms: result.latency.p99,
    generatorCpu: Math.round(((cpu.user + cpu.system) / wallMicros) * 100) / 100,
  };
}
