import { runClosedModel } from './closed-model.ts';
import { runOpenModel } from './open-model.ts';
import { scrapeMetrics, windowFigures } from './server-metrics.ts';
import type { RunMeasurement, Scenario } from './types.ts';

export interface RunSettings {
  durationSeconds: number;
  warmupSeconds: number;
  probeRate: number;
}

/** Requests slower than this count as timeouts. Parameters bound one request to ~30 s of waiting. */
const REQUEST_TIMEOUT_SECONDS = 40;
/** Open model: most requests in flight before new arrivals are dropped. */
const OPEN_MODEL_MAX_IN_FLIGHT = 1000;

function drive(origin: string, scenario: Scenario, seconds: number) {
  if (scenario.rate === undefined) {
    return runClosedModel({ url: origin + scenario.path, connections: scenario.connections, durationSeconds: seconds, timeoutSeconds: REQUEST_TIMEOUT_SECONDS });
  }
  return runOpenModel({
    origin,
    path: scenario.path,
    rate: scenario.rate,
    durationSeconds: seconds,
    maxInFlight: OPEN_MODEL_MAX_IN_FLIGHT,
    timeoutMs: REQUEST_TIMEOUT_SECONDS * 1000,
  });
}

/**
 * One run of one scenario: an unmeasured warm-up, then the measured load together with a low-rate
 * open-model probe of `/health` (what any other user of the server would see), bracketed by two
 * scrapes of the server's own event-loop metrics.
 */
export async function runScenario(origin: string, scenario: Scenario, settings: RunSettings): Promise<RunMeasurement> {
  if (settings.warmupSeconds > 0) await drive(origin, scenario, settings.warmupSeconds);

  const before = await scrapeMetrics(origin);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const [load, probe] = await Promise.all([
    drive(origin, scenario, settings.durationSeconds),
    runOpenModel({ origin, path: '/health', rate: settings.probeRate, durationSeconds: settings.durationSeconds, maxInFlight: 200, timeoutMs: REQUEST_TIMEOUT_SECONDS * 1000 }),
  ]);
  const cpu = process.cpuUsage(cpuBefore);
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const after = await scrapeMetrics(origin);

  const requests = 'requests' in load ? load.requests : load.completed;
  return {
    model: scenario.rate === undefined ? 'closed' : 'open',
    durationSeconds: load.elapsedSeconds,
    requests,
    rps: 'rps' in load ? load.rps : load.completed / load.elapsedSeconds,
    latency: load.latency,
    errors: load.errors,
    timeouts: load.timeouts,
    non2xx: load.non2xx,
    dropped: 'dropped' in load ? load.dropped : 0,
    health: { p50: probe.latency.p50, p99: probe.latency.p99, max: probe.latency.max, samples: probe.completed, failures: probe.errors + probe.non2xx },
    server: windowFigures(before, after),
    generatorCpu: (cpu.user + cpu.system) / 1e6 / wallSeconds,
  };
}
