import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, OPTION_LIMITS } from './defaults.ts';
import { MODE_NAMES, WORKLOAD_NAMES, type HarnessOptions, type ModeName, type WorkloadName, type WorkloadParams } from './types.ts';

/** A bad command line: the CLI prints the message and exits 2. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

export const USAGE = `Usage: npm run loadtest -- [options]

Runs every workload × mode × concurrency scenario against a looplab server and reports throughput,
latency, errors and event-loop health side by side. Without --url it starts the embedded database,
the upstream and the server as separate processes, and stops them at the end.

Options (lists are comma-separated; a list of levels is a sweep):
  --workloads LIST     ${WORKLOAD_NAMES.join(',')} (default: all)
  --modes LIST         ${MODE_NAMES.join(',')} (default: all)
  --connections LIST   closed-model concurrency levels, ${OPTION_LIMITS.connections.min}..${OPTION_LIMITS.connections.max} (default: ${DEFAULT_OPTIONS.connections.join(',')})
  --rate LIST          open model instead: constant arrival rates in requests/s, ${OPTION_LIMITS.rate.min}..${OPTION_LIMITS.rate.max}
  --duration S         measured seconds per run, ${OPTION_LIMITS.duration.min}..${OPTION_LIMITS.duration.max} (default: ${DEFAULT_OPTIONS.duration})
  --warmup S           unmeasured seconds before each run, ${OPTION_LIMITS.warmup.min}..${OPTION_LIMITS.warmup.max} (default: ${DEFAULT_OPTIONS.warmup})
  --repeat N           runs per scenario; medians and spread are reported, ${OPTION_LIMITS.repeat.min}..${OPTION_LIMITS.repeat.max} (default: 1)
  --params LIST        workload parameters, e.g. fetch.delay=100,hash.cost=50000,db.sleep=20
  --workers LIST       worker-pool sizes to sweep; restarts the server per value (not with --url)
  --url URL            an already-running server: start nothing
  --probe-rate N       /health probes per second during each run, ${OPTION_LIMITS.probeRate.min}..${OPTION_LIMITS.probeRate.max} (default: ${DEFAULT_OPTIONS.probeRate})
  --out DIR            where results/<timestamp>/ goes (default: ${DEFAULT_OPTIONS.out})
  --json               print only the results JSON to stdout
  --compare FILE       show the change of every figure against an earlier results.json
  --threshold EXPR     fail (exit 1) unless EXPR holds, e.g. 'hash.worker.rps>=1.5*hash.blocking.rps'
                       or 'fetch.async.p99<300'; repeatable
  --faults             instead of the matrix: load /db/async and /fetch/async at --rate (default 50) while
                       the database, then the upstream, are stopped and restarted (--duration s per phase)
  --help               this text

Defaults: ${Object.entries(DEFAULT_OPTIONS.params)
  .map(([w, p]) => Object.entries(p).map(([k, v]) => `${w}.${k}=${v}`).join(','))
  .join(',')}`;

function parseList<T extends string>(raw: string, allowed: readonly T[], name: string): T[] {
  const items = raw.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new OptionsError(`--${name}: unknown value "${item}"; allowed: ${allowed.join(', ')}`);
    }
  }
  return [...new Set(items)] as T[];
}

function parseIntValue(raw: string, name: string, limits: { min: number; max: number }): number {
  if (!/^\d+$/.test(raw.trim())) throw new OptionsError(`--${name}: "${raw}" is not a whole number (${limits.min}..${limits.max})`);
  const value = Number(raw.trim());
  if (value < limits.min || value > limits.max) throw new OptionsError(`--${name}: ${value} is out of range (${limits.min}..${limits.max})`);
  return value;
}

function parseIntList(raw: string, name: string, limits: { min: number; max: number }): number[] {
  return [...new Set(raw.split(',').map((item) => parseIntValue(item, name, limits)))];
}

/** `fetch.delay=100,hash.cost=50000` → overrides on top of the default parameters. */
function parseParams(raw: string | undefined): WorkloadParams {
  const params = structuredClone(DEFAULT_OPTIONS.params);
  if (!raw) return params;
  for (const pair of raw.split(',')) {
    const match = /^(\w+)\.([a-z]+)=([\w-]+)$/.exec(pair.trim());
    if (!match) throw new OptionsError(`--params: "${pair}" is not of the form workload.param=value`);
    const [, workload, key, value] = match as unknown as [string, string, string, string];
    if (!(WORKLOAD_NAMES as readonly string[]).includes(workload)) {
      throw new OptionsError(`--params: unknown workload "${workload}"; allowed: ${WORKLOAD_NAMES.join(', ')}`);
    }
    params[workload as WorkloadName][key] = value;
  }
  return params;
}

function parseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OptionsError(`--url: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionsError('--url: only http: and https: are supported');
  return url.origin;
}

/**
 * Parses the harness's command line into options, with the defaults filled in.
 * @returns `'help'` when --help was asked for.
 * @throws OptionsError with a message naming the option and what it allows.
 */
export function parseOptions(argv: readonly string[]): HarnessOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        workloads: { type: 'string' },
        modes: { type: 'string' },
        connections: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        repeat: { type: 'string' },
        params: { type: 'string' },
        workers: { type: 'string' },
        url: { type: 'string' },
        'probe-rate': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        compare: { type: 'string' },
        threshold: { type: 'string', multiple: true },
        faults: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new OptionsError((err as Error).message);
  }
  if (values.help) return 'help';

  const options: HarnessOptions = {
    workloads: values.workloads ? parseList(values.workloads, WORKLOAD_NAMES, 'workloads') : [...DEFAULT_OPTIONS.workloads],
    modes: values.modes ? parseList<ModeName>(values.modes, MODE_NAMES, 'modes') : [...DEFAULT_OPTIONS.modes],
    connections: values.connections ? parseIntList(values.connections, 'connections', OPTION_LIMITS.connections) : [...DEFAULT_OPTIONS.connections],
    rates: values.rate ? parseIntList(values.rate, 'rate', OPTION_LIMITS.rate) : [],
    duration: values.duration ? parseIntValue(values.duration, 'duration', OPTION_LIMITS.duration) : DEFAULT_OPTIONS.duration,
    warmup: values.warmup ? parseIntValue(values.warmup, 'warmup', OPTION_LIMITS.warmup) : DEFAULT_OPTIONS.warmup,
    repeat: values.repeat ? parseIntValue(values.repeat, 'repeat', OPTION_LIMITS.repeat) : DEFAULT_OPTIONS.repeat,
    params: parseParams(values.params),
    workers: values.workers ? parseIntList(values.workers, 'workers', OPTION_LIMITS.workers) : [],
    url: parseUrl(values.url),
    probeRate: values['probe-rate'] ? parseIntValue(values['probe-rate'], 'probe-rate', OPTION_LIMITS.probeRate) : DEFAULT_OPTIONS.probeRate,
    out: values.out ?? DEFAULT_OPTIONS.out,
    json: values.json ?? false,
    compare: values.compare,
    thresholds: values.threshold ?? [],
    faults: values.faults ?? false,
  };
  if (options.faults && (options.url || options.workers.length > 0 || values.connections || options.rates.length > 1)) {
    throw new OptionsError('--faults starts and stops its own database and upstream: it takes only --rate (one value), --duration (seconds per phase) and --out');
  }
  if (options.url && options.workers.length > 0) {
    throw new OptionsError('--workers restarts the server per value, so it cannot be combined with --url');
  }
  if (values.connections && options.rates.length > 0) {
    throw new OptionsError('--connections (closed model) and --rate (open model) exclude each other');
  }
  return options;
}
