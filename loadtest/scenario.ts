import { runClosedModel } from './closed-model.ts';
import { runOpenModel } from './open-model.ts';
import { scrapeMetrics, windowFigures } from './server-metrics.ts';
import type { RunHooks } from './run-hooks.ts';
import type { RunMeasurement, Scenario } from './types.ts';

export interface RunSettings {
  durationSeconds: number;
  warmupSeconds: number;
  probeRate: number;
  /** Live progress for the CLI; measuring does not depend on it. */
  hooks?: RunHooks;
}

/** Requests slower than this count as timeouts. Parameters bound one request to ~30 s of waiting. */
const REQUEST_TIMEOUT_SECONDS = 40;
/** Open model: most requests in flight before new arrivals are dropped. */
const OPEN_MODEL_MAX_IN_FLIGHT = 1000;

function drive(origin: string, scenario: Scenario, seconds: number, onOutcome?: RunHooks['onOutcome']) {
  if (scenario.rate === undefined) {
    return runClosedModel({ url: origin + scenario.path, connections: scenario.connections, durationSeconds: seconds, timeoutSeconds: REQUEST_TIMEOUT_SECONDS, onOutcome });
  }
  return runOpenModel({
    origin,
    path: scenario.path,
    rate: scenario.rate,
    durationSeconds: seconds,
    maxInFlight: OPEN_MODEL_MAX_IN_FLIGHT,
    timeoutMs: REQUEST_TIMEOUT_SECONDS * 1000,
    // A server far behind the offered rate must not stretch the run by its whole backlog.
    drainMs: Math.min(10_000, seconds * 1000),
    ...(onOutcome ? { onResult: (_due: number, outcome: number | 'error') => onOutcome(typeof outcome === 'number' && outcome >= 200 && outcome < 300) } : {}),
  });
}

/** A `/health` answer faster than this means the server has no backlog left. */
const SETTLED_HEALTH_MS = 100;
const SETTLE_TIMEOUT_MS = 120_000;

/**
 * Waits until the server has worked off what earlier load left queued (a blocking server can hold
 * hundreds of abandoned requests), so one run's backlog is not measured as the next run's slowness.
 */
export async function waitUntilSettled(origin: string): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const started = performance.now();
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      await res.arrayBuffer();
      if (performance.now() - started < SETTLED_HEALTH_MS) return;
    } catch {
      // Not answering yet; try again until the deadline.
    }
  }
  throw new Error(`${origin} did not settle within ${SETTLE_TIMEOUT_MS / 1000} s after the previous load`);
}

/**
 * One run of one scenario: an unmeasured warm-up, then the measured load together with a low-rate
 * open-model probe of `/health` (what any other user of the server would see), bracketed by two
 * scrapes of the server's own event-loop metrics.
 */
export async function runScenario(origin: string, scenario: Scenario, settings: RunSettings): Promise<RunMeasurement> {
  const { onPhase, onOutcome } = settings.hooks ?? {};
  onPhase?.('settling');
  await waitUntilSettled(origin);
  if (settings.warmupSeconds > 0) {
    onPhase?.('warm-up', settings.warmupSeconds);
    await drive(origin, scenario, settings.warmupSeconds, onOutcome);
    onPhase?.('settling');
    await waitUntilSettled(origin);
  }

  onPhase?.('measuring', settings.durationSeconds);
  const before = await scrapeMetrics(origin);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const [load, probe] = await Promise.all([
    drive(origin, scenario, settings.durationSeconds, onOutcome),
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
