import { REQUEST_TIMEOUT_SECONDS, type LoadDriver } from './drive.ts';
import { startLoadDriver } from './generators.ts';
import { machineBusy, readMachineCpu } from './machine-cpu.ts';
import { openBlameWindow } from './cluster-blame-window.ts';
import { type ProbeResult, type ReadyProbe, startProbe } from './probe.ts';
import type { RunHooks, RunMeasurement, Scenario } from '../types.ts';
import { scrapeMetrics, windowFigures } from './server-metrics.ts';
import { queueWindow } from './queue-times.ts';
import { statusCounts } from '../analyse/refusals.ts';
import { LOOPLAB_SIGNALS, waitUntilSettled, type SettleSignals } from './settle.ts';

export interface RunSettings {
  durationSeconds: number;
  warmupSeconds: number;
  probeRate: number;
  /** Load-generator processes (generators.ts); 1, the default, sends from this process. */
  generators?: number;
  /** Live progress for the CLI; measuring does not depend on it. */
  hooks?: RunHooks;
  /**
   * What the server offers beside the load: looplab's `/health` (probed) and `/metrics` (scraped), the
   * default; a `--target` has its `--probe` path or nothing, and no `/metrics`.
   */
  signals?: SettleSignals;
  /** The server's stall-blame endpoint: the run's blame is read for exactly its measured window. */
  blameUrl?: string | undefined;
}

/** What the canary reports when there is none (a `--target` without `--probe`). */
const NO_PROBE: ProbeResult = { p50: null, p99: null, max: null, samples: 0, failures: 0, perSecondP99: [] };

/** Requests with no measured latency beyond this share of those due make every percentile a lower bound. */
export const UNMEASURED_SHARE = 0.001;

/**
 * One run of one scenario: an unmeasured warm-up, a wait until the server has finished everything the
 * warm-up sent, then the measured load together with a low-rate open-model probe of `/health` (what
 * any other user of the server would see, from a process of its own), bracketed by two scrapes of the
 * server's own metrics and two readings of the machine's CPU.
 */
export async function runScenario(origin: string, scenario: Scenario, settings: RunSettings): Promise<RunMeasurement> {
  // Generator processes start before any load, so their start-up is in neither the warm-up nor the window.
  const driver = await startLoadDriver(settings.generators ?? 1);
  try {
    return await measureRun(origin, scenario, settings, driver);
  } finally {
    driver.stop();
  }
}

async function measureRun(
  origin: string,
  scenario: Scenario,
  settings: RunSettings,
  driver: LoadDriver,
): Promise<RunMeasurement> {
  const signals = settings.signals ?? LOOPLAB_SIGNALS;
  // The probe process starts while the server settles and warms up (a new one takes seconds to load),
  // and is ready before the window; handled here so a failure waits for the await below to be thrown.
  const probeReady = signals.healthPath === null ? undefined : startProbe();
  probeReady?.catch(() => {});
  try {
    return await measureWindow(origin, scenario, settings, driver, probeReady);
  } finally {
    void probeReady?.then(
      (probe) => probe.stop(),
      () => {},
    );
  }
}

async function measureWindow(
  origin: string,
  scenario: Scenario,
  settings: RunSettings,
  driver: LoadDriver,
  probeReady: Promise<ReadyProbe> | undefined,
): Promise<RunMeasurement> {
  const { onPhase, onOutcome } = settings.hooks ?? {};
  const signals = settings.signals ?? LOOPLAB_SIGNALS;
  const scrape = async () => (signals.metrics ? scrapeMetrics(origin) : null);
  onPhase?.('settling');
  await waitUntilSettled(origin, signals);
  let warmup = { requests: 0, settleMs: 0 };
  if (settings.warmupSeconds > 0) {
    onPhase?.('warm-up', settings.warmupSeconds);
    const load = await driver.drive(origin, scenario, settings.warmupSeconds, onOutcome);
    onPhase?.('settling');
    warmup = { requests: load.due, settleMs: await waitUntilSettled(origin, signals) };
  }

  const probePath = signals.healthPath;
  const probe = await probeReady;
  onPhase?.('measuring', settings.durationSeconds);
  const before = await scrape();
  const closeBlameWindow = await openBlameWindow(settings.blameUrl);
  const machineBefore = await readMachineCpu();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const [load, health] = await Promise.all([
    driver.drive(origin, scenario, settings.durationSeconds, onOutcome),
    probe && probePath !== null
      ? probe.run({
          origin,
          path: probePath,
          rate: settings.probeRate,
          seconds: settings.durationSeconds,
          timeoutMs: REQUEST_TIMEOUT_SECONDS * 1000,
        })
      : NO_PROBE,
  ]);
  const cpu = process.cpuUsage(cpuBefore);
  const ownCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const machine = machineBusy(machineBefore, await readMachineCpu());
  const blame = await closeBlameWindow();
  const after = await scrape();

  const { counts } = load.log;
  // autocannon counts only what completed before it stopped; the open model keeps answers that come in
  // during the drain, which are not the window's throughput.
  const okInWindow = load.model === 'closed' ? counts.ok : load.log.okWithin(load.windowSeconds * 1000);
  const unmeasured = load.dropped + load.abandoned + counts.timeouts;
  // Every second the window touched: autocannon checks its stop flag on its 1 s tick, so its window can
  // be a little longer than asked, and the last second may be a partial one.
  const seconds = Math.max(1, Math.ceil(load.windowSeconds - 0.001));
  return {
    model: load.model,
    windowSeconds: load.windowSeconds,
    due: load.due,
    ok: counts.ok,
    okInWindow,
    rps: okInWindow / load.windowSeconds,
    failedPerSecond: (counts.non2xx + counts.errors + counts.timeouts) / load.windowSeconds,
    latency: load.log.ok.summary(),
    latencyCurve: load.log.ok.curve(),
    failedLatency: load.log.failed.summary(),
    errors: counts.errors,
    timeouts: counts.timeouts,
    non2xx: counts.non2xx,
    statuses: statusCounts([{ counts: counts.statuses, samples: load.log.samples }]),
    dropped: load.dropped,
    abandoned: load.abandoned,
    latencyIsLowerBound: load.due > 0 && unmeasured / load.due > UNMEASURED_SHARE,
    sendLag: load.sendLag,
    health: { p50: health.p50, p99: health.p99, max: health.max, samples: health.samples, failures: health.failures },
    server: windowFigures(before, after, wallSeconds),
    // Summed over generators: this process and any generator processes. The busiest one alone says
    // whether a generator, being one thread, was the limit.
    generatorCpu: [ownCpuSeconds, ...load.childCpuSeconds].reduce((a, b) => a + b, 0) / wallSeconds,
    busiestGeneratorCpu: Math.max(ownCpuSeconds, ...load.childCpuSeconds) / wallSeconds,
    machineCpu: machine,
    timeline: load.log.timeline(seconds).map((s, t) => {
      // The last second may hold only the window's last fraction: said, so no chart reads it as a fall.
      const span = Math.round(Math.min(1, load.windowSeconds - t) * 1000) / 1000;
      return { ...s, healthP99: health.perSecondP99[t] ?? null, ...(span < 1 ? { span } : {}) };
    }),
    warmup,
    blame,
    // The same two scrapes: jobs whose result reached the server within the window.
    queue: scenario.mode === 'queue' ? queueWindow(before?.queue, after?.queue, scenario.workload) : null,
  };
}
