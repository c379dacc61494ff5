import type { BoundAnswer } from '../../contract/bound.ts';
import type { DiscoveredWorkload, HarnessOptions } from '../types.ts';
import { fetchCatalog, type Catalog, type CatalogEntry } from './catalog.ts';
import { waitUntilReady } from './wait-for-url.ts';
import type { Target, TargetProvider } from './stack.ts';
import { httpGet } from './http-get.ts';

/**
 * The server would refuse the planned run: a workload, mode or parameter it does not have or
 * allows. Raised before any load, so a mismatch is one sentence, not a run of 400s (exit 2).
 */
export class ServerRefusesParamsError extends Error {
  override name = 'ServerRefusesParamsError';
}

const refuse = (text: string): never => {
  throw new ServerRefusesParamsError(text);
};

function pickWorkloads(catalog: Catalog, options: HarnessOptions): CatalogEntry[] {
  const names = catalog.workloads.map((w) => w.name);
  if (options.workloads.length > 0) {
    return options.workloads.map(
      (name) =>
        catalog.workloads.find((w) => w.name === name) ??
        refuse(`--workloads: unknown workload "${name}"; the server has: ${names.join(', ')}`),
    );
  }
  // --workload-file files alone mean "the matrix for them"; no file means the built-ins.
  const files = new Set(options.workloadFiles);
  return catalog.workloads.filter((w) => (files.size > 0 ? files.has(w.source) : w.source === 'built-in'));
}

function pickModes(catalog: Catalog, options: HarnessOptions): string[] {
  for (const mode of options.modes) {
    if (!catalog.modes.includes(mode))
      refuse(`--modes: unknown mode "${mode}"; the server has: ${catalog.modes.join(', ')}`);
  }
  // By default the three in-process modes, the lab's first lesson; queue mode (worker processes
  // behind BullMQ) runs when asked for with --modes, as it needs its own processes to be meaningful.
  return options.modes.length > 0 ? [...options.modes] : catalog.modes.filter((m) => m !== 'queue');
}

/** The server's verdict on one workload's parameters: its bound model for them, or the 400 in the words of `--params`. */
async function askBound(
  origin: string,
  entry: CatalogEntry,
  params: Record<string, string>,
): Promise<BoundAnswer | null> {
  const res = await httpGet(`${origin}${entry.boundPath}?${new URLSearchParams(params)}`, 10_000);
  const body = (await res.json().catch(() => ({}))) as {
    bound?: BoundAnswer | null;
    error?: string;
    param?: string;
    allowed?: string;
  };
  if (res.status === 400) {
    const w = entry.name;
    if (body.error?.startsWith('unknown parameter')) {
      refuse(
        `--params: ${w}: ${body.error}; known parameters: ${Object.keys(entry.params)
          .map((p) => `${w}.${p}`)
          .join(', ')}`,
      );
    }
    const given = Object.entries(params)
      .map(([k, v]) => `${w}.${k}=${v}`)
      .join(',');
    refuse(
      `--params: ${given}: the server would refuse it — ` +
        `${body.error ?? 'bad request'}${body.allowed ? `; ${body.param ?? 'allowed'} allowed: ${body.allowed}` : ''}`,
    );
  }
  if (!res.ok) throw new Error(`${origin}${entry.boundPath} answered ${res.status}`);
  return body.bound ?? null;
}

/**
 * Completes the options from the server at `origin`: which workloads and modes the run has, every
 * parameter of each (the workload's load-test defaults under `--params`), checked by the server
 * itself, and each workload's bound model for them.
 * @throws ServerRefusesParamsError naming what the server would refuse.
 */
export async function discover(origin: string, options: HarnessOptions): Promise<HarnessOptions> {
  const catalog =
    (await fetchCatalog(origin)) ??
    refuse(`${origin}/ publishes no workload index this harness understands (is it looplab, and the same version?)`);
  const entries = pickWorkloads(catalog, options);
  if (entries.length === 0) refuse('no workload to run: the server lists none of the --workload-file files');
  const modes = pickModes(catalog, options);
  const names = entries.map((e) => e.name);
  for (const w of Object.keys(options.params)) {
    if (!names.includes(w)) refuse(`--params: unknown workload "${w}"; the run has: ${names.join(', ')}`);
  }
  const params: HarnessOptions['params'] = {};
  const discovered: Record<string, DiscoveredWorkload> = {};
  for (const entry of entries) {
    params[entry.name] = { ...entry.loadtestParams, ...options.params[entry.name] };
    const bound = await askBound(origin, entry, params[entry.name] as Record<string, string>);
    discovered[entry.name] = {
      source: entry.source,
      modes: entry.modes,
      bound,
      ...(entry.faultDrill ? { faultDrill: entry.faultDrill } : {}),
    };
  }
  return { ...options, workloads: names, modes, params, discovered };
}

/**
 * Starts the first server of the run, waits until it is ready and completes the options from it
 * (see {@link discover}). The returned provider hands that same server to the first `start`, so it
 * is not started twice.
 */
export async function discoverPlan(
  targets: TargetProvider,
  options: HarnessOptions,
): Promise<{ options: HarnessOptions; targets: TargetProvider }> {
  const first = options.workers[0];
  const firstProcesses = options.processes[0];
  const firstBackend = options.queueBackends?.[0];
  const target = await targets.start(first, firstProcesses, firstBackend);
  let resolved: HarnessOptions;
  try {
    await waitUntilReady(target.origin);
    resolved = await discover(target.origin, options);
  } catch (err) {
    await target.stop();
    throw err;
  }
  let waiting: Target | undefined = target;
  return {
    options: resolved,
    targets: {
      async start(workers, processes, queueBackend, workerConcurrency) {
        // The first server was started with the server's default tasks per thread, so it serves only that.
        const same =
          workers === first &&
          processes === firstProcesses &&
          queueBackend === firstBackend &&
          workerConcurrency === undefined;
        if (waiting && same) {
          const t = waiting;
          waiting = undefined;
          return t;
        }
        return targets.start(workers, processes, queueBackend, workerConcurrency);
      },
      async close() {
        await waiting?.stop();
        await targets.close();
      },
    },
  };
}
