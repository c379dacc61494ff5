import { userDirectory } from '../../lib/user-path.ts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { flagsWith, parseArgsConfig } from '../../lib/flags.ts';
import { DEFAULT_LISTEN_TIMEOUT, DEFAULT_OPTIONS, OPTION_LIMITS } from '../defaults.ts';
import {
  LOADTEST_SPEC,
  RETIRED_LOADTEST_FLAGS,
  type LoadtestValues,
  type LoadtestMode,
  WITH_A_SERVER_COMMAND,
} from '../flags.ts';
import { OptionsError } from './options-error.ts';
import { parseQueueBackends } from './queue-backends.ts';
import { MarginError, parseMargins } from '../analyse/regression-margins.ts';
import type { HarnessOptions, WorkloadParams } from '../types.ts';

export { OptionsError };

/** Workload and mode names are the server's to list; here they only need to be names (checked in discover.ts). */
const NAME = /^[a-z][a-z0-9-]{0,39}$/;

function parseNames(raw: string, name: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!NAME.test(item))
      throw new OptionsError(
        `--${name}: "${item}" is not a name (lowercase letters, digits and dashes; curl <server>/ lists them)`,
      );
  }
  return [...new Set(items)];
}

/**
 * `--workload-file ./a.ts --workload-file ./b.ts,./c.ts`: workload files for the server the harness starts,
 * relative to where the user typed the command (npm runs the script in the repo; INIT_CWD is theirs).
 */
function parseWorkloadFiles(raw: readonly string[] | undefined, cwd: string): string[] {
  const items = (raw ?? []).flatMap((r) => r.split(',')).map((s) => s.trim());
  if (items.some((item) => item === ''))
    throw new OptionsError(
      '--workload-file: an empty path; give file paths, comma-separated or one per --workload-file',
    );
  return [...new Set(items.map((item) => resolve(cwd, item)))];
}

function parseIntValue(raw: string, name: string, limits: { min: number; max: number }): number {
  if (!/^\d+$/.test(raw.trim()))
    throw new OptionsError(`--${name}: "${raw}" is not a whole number (${limits.min}..${limits.max})`);
  const value = Number(raw.trim());
  if (value < limits.min || value > limits.max)
    throw new OptionsError(`--${name}: ${value} is out of range (${limits.min}..${limits.max})`);
  return value;
}

function parseIntList(raw: string, name: string, limits: { min: number; max: number }): number[] {
  return [...new Set(raw.split(',').map((item) => parseIntValue(item, name, limits)))];
}

/**
 * `fetch.delay=100,hash.cost=50000` → overrides of the workloads' load-test defaults. Which workloads
 * and parameters exist, and which values they allow, the server checks before any load (discover.ts).
 */
function parseParams(raw: string | undefined): WorkloadParams {
  const params: WorkloadParams = {};
  if (raw === undefined) return params;
  const given = new Set<string>();
  for (const pair of raw.split(',')) {
    // The value is taken whole (even `http://x`): the server's rules, not this pattern, judge it.
    const match = /^([^.=]+)\.([^=]+)=(.*)$/.exec(pair.trim());
    if (!match) throw new OptionsError(`--params: "${pair}" is not of the form workload.param=value`);
    const [, workload, key, value] = match as unknown as [string, string, string, string];
    if (given.has(`${workload}.${key}`)) throw new OptionsError(`--params: ${workload}.${key} is given more than once`);
    given.add(`${workload}.${key}`);
    params[workload] = { ...params[workload], [key]: value };
  }
  return params;
}

/**
 * `--workloads db --workloads fetch` would silently keep the last list (node's parseArgs does); an
 * error is clearer than a guess at merging, and the fix is one comma-separated list.
 */
function refuseRepeats(names: readonly string[]): void {
  const seen = new Set<string>();
  const repeatable = new Set(Object.keys(LOADTEST_SPEC).filter((n) => flag(n)?.multiple));
  for (const name of names) {
    if (seen.has(name) && !repeatable.has(name)) {
      throw new OptionsError(
        `--${name} is given more than once; give one comma-separated list instead (e.g. --${name} a,b)`,
      );
    }
    seen.add(name);
  }
}

const flag = (name: string) => LOADTEST_SPEC[name];

/** The flags given that `mode` does not take (the spec's allow-list), in the order given. */
function notWith(mode: LoadtestMode, values: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(values).filter(
    (name) => values[name] !== undefined && name !== mode && flag(name)?.with?.[mode] === undefined,
  );
}

/** `--rate (one value), --duration (seconds per phase), --out and --json`: what a mode takes, with the spec's notes. */
function takes(mode: LoadtestMode): string {
  const names = flagsWith(LOADTEST_SPEC, mode)
    .filter((name) => name !== 'help')
    .map((name) => {
      const note = flag(name)?.with?.[mode];
      return `--${name}${typeof note === 'string' ? ` ${note}` : ''}`;
    });
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'nothing');
}

/** What `--faults` takes: it runs a fixed drill, so every other option would be silently ignored. */
function refuseWithFaults(values: Readonly<Record<string, unknown>>): void {
  const ignored = notWith('faults', values);
  if (ignored.length > 0) {
    throw new OptionsError(
      `--faults runs a fixed drill (the workloads that declare a database or upstream dependency, while it stops and restarts its own database and upstream, then a queue worker killed mid-job); ` +
        `it takes only ${takes('faults')}, not ${ignored.map((n) => `--${n}`).join(', ')}` +
        (ignored.includes('threshold') ? ' (the fault run evaluates no thresholds)' : ''),
    );
  }
  if (typeof values['rate'] === 'string' && values['rate'].includes(',')) {
    throw new OptionsError('--faults takes one --rate value, not a list');
  }
}

type Token = ReturnType<typeof parseArgs>['tokens'] extends Array<infer T> | undefined ? T : never;

/**
 * A retired flag is answered with what took its place, not with node's "Unknown option" (here and in
 * `looplab advise`, which takes the same flags).
 */
export function refuseRetired(argv: readonly string[]): void {
  const { tokens = [] } = parseArgs({ args: [...argv], strict: false, tokens: true, allowPositionals: true });
  for (const t of tokens) {
    const hint = t.kind === 'option' ? RETIRED_LOADTEST_FLAGS[t.name] : undefined;
    if (hint) throw new OptionsError(hint);
  }
}

/**
 * `--export k6 DIR` (or `--export=k6 DIR`): the directory is the one positional argument the command
 * line takes, and only right after the format.
 */
function parseExport(format: string | undefined, tokens: readonly Token[]): HarnessOptions['export'] {
  const option = tokens.find((t) => t.kind === 'option' && t.name === 'export');
  const dirIndex = option && option.kind === 'option' ? option.index + (option.inlineValue ? 1 : 2) : -1;
  let dir: string | undefined;
  for (const t of tokens) {
    if (t.kind !== 'positional') continue;
    if (t.index !== dirIndex)
      throw new OptionsError(
        `"${t.value}" is not an option (the only positional argument is the directory in --export k6 DIR)`,
      );
    dir = t.value;
  }
  if (format === undefined) return undefined;
  if (format !== 'k6') throw new OptionsError(`--export: unknown format "${format}"; allowed: k6`);
  if (dir === undefined)
    throw new OptionsError('--export k6 needs a directory to write the scripts to: --export k6 DIR');
  return { format, dir };
}

/** What `--export` takes: what shapes the scenarios and their thresholds; the rest would be ignored. */
function refuseWithExport(values: Readonly<Record<string, unknown>>): void {
  const ignored = notWith('export', values);
  if (ignored.length > 0) {
    const shaping = flagsWith(LOADTEST_SPEC, 'export').filter((n) => n !== 'help');
    throw new OptionsError(
      `--export writes scripts and runs nothing; it takes the options that shape the scenarios (${shaping
        .map((n) => `--${n}`)
        .join(', ')}), ` + `not ${ignored.map((n) => `--${n}`).join(', ')}`,
    );
  }
}

/** Each generator process of the closed model needs a connection of its own (they are split, not copied). */
function refuseTooFewConnections(options: HarnessOptions): void {
  const fewest = Math.min(...options.connections);
  if (options.rates.length === 0 && fewest < options.generators) {
    throw new OptionsError(
      `--generators: ${options.generators} generators share each level's connections, so every --connections level ` +
        `must be at least ${options.generators} (${fewest} is not)`,
    );
  }
}

function readHttpUrl(raw: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OptionsError(`--${name}: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OptionsError(`--${name}: only http: and https: are supported`);
  return url;
}

function parseUrl(raw: string | undefined, name = 'url'): string | undefined {
  return raw === undefined ? undefined : readHttpUrl(raw, name).origin;
}

/**
 * `--target /login,/orders -- node server.js`: paths on the server the command starts, each its own
 * scenario; the origin is learnt when it listens.
 */
function parseTargetPaths(raw: string, command: readonly string[]): Pick<HarnessOptions, 'command' | 'targetPaths'> {
  const paths = raw.split(',').map((p) => p.trim());
  for (const path of paths) {
    if (!path.startsWith('/'))
      throw new OptionsError(
        `--target: "${path}" is not a path; with a server command after --, --target takes paths on its server, comma-separated (e.g. /login,/orders)`,
      );
  }
  return { command: [...command], targetPaths: [...new Set(paths)] };
}

/**
 * `--target URL [--probe PATH]`: the whole URL (path and query as given), and a canary path on its
 * origin; or, with a server command after `--`, `--target PATHS` on the server it starts.
 */
function parseTarget(
  values: Readonly<Record<string, unknown>>,
  command: readonly string[] | undefined,
): Pick<HarnessOptions, 'target' | 'probe' | 'command' | 'targetPaths'> {
  const raw = values['target'];
  const probe = values['probe'];
  if (typeof raw !== 'string') {
    if (probe !== undefined)
      throw new OptionsError("--probe goes with --target (a looplab server's canary is always /health)");
    if (command !== undefined)
      throw new OptionsError(
        `a server command after -- needs --target with the paths to load on it, e.g. --target /login,/orders -- ${command.join(' ') || 'node server.js'}`,
      );
    return {};
  }
  // What --target replaces: everything that needs looplab's index (GET /), or restarts a server the harness started.
  const clash = notWith('target', values).filter(
    (n) => command === undefined || !(WITH_A_SERVER_COMMAND as readonly string[]).includes(n),
  );
  if (clash.length > 0) {
    throw new OptionsError(
      `--target measures one endpoint of a server that is not looplab, so it takes no ` +
        `${clash.map((n) => `--${n}`).join(', ')} (those need looplab's index, GET /)`,
    );
  }
  if (typeof probe === 'string' && !probe.startsWith('/'))
    throw new OptionsError(`--probe: "${probe}" is not a path on the target's server (e.g. /health)`);
  const canary = typeof probe === 'string' ? { probe } : {};
  if (command !== undefined) {
    if (command.length === 0)
      throw new OptionsError('nothing after --: give the command that starts your server, e.g. -- node server.js');
    return { ...parseTargetPaths(raw, command), ...canary };
  }
  if (raw.startsWith('/'))
    throw new OptionsError(
      `--target ${raw}: a path needs the command that starts its server after --, e.g. --target ${raw} -- node server.js; or give a whole URL`,
    );
  return { target: readHttpUrl(raw, 'target').href, ...canary };
}

/** `--no-blame`, `--stall-threshold MS`, `--blame-url URL` (only with --url: a server looplab did not start). */
function parseBlame(
  values: {
    'no-blame'?: boolean | undefined;
    'stall-threshold'?: string | undefined;
    'blame-url'?: string | undefined;
    url?: string | undefined;
    target?: string | undefined;
  },
  command: readonly string[] | undefined,
) {
  const blame = !values['no-blame'];
  if (values['no-blame'] && (values['stall-threshold'] !== undefined || values['blame-url'] !== undefined)) {
    throw new OptionsError(
      `--no-blame turns stall blame off, so it cannot be combined with ${values['blame-url'] !== undefined ? '--blame-url' : '--stall-threshold'}`,
    );
  }
  if (values['blame-url'] !== undefined && command !== undefined) {
    throw new OptionsError(
      '--blame-url is not needed with a server command after --: the harness starts it with the stall-blame preload and asks that for the blame',
    );
  }
  if (values['blame-url'] !== undefined && values.url === undefined && values.target === undefined) {
    throw new OptionsError(
      '--blame-url names the stall-blame endpoint of the server given with --url; without --url the harness starts its own server with blame on',
    );
  }
  if (
    values['stall-threshold'] !== undefined &&
    command === undefined &&
    (values.url !== undefined || values.target !== undefined)
  ) {
    throw new OptionsError(
      '--stall-threshold applies to the server the harness starts; with --url the threshold is the one that server was started with (STALL_THRESHOLD_MS)',
    );
  }
  return {
    blame,
    stallThresholdMs:
      values['stall-threshold'] !== undefined
        ? parseIntValue(values['stall-threshold'], 'stall-threshold', OPTION_LIMITS.stallThreshold)
        : DEFAULT_OPTIONS.stallThresholdMs,
    blameUrl: parseUrl(values['blame-url'], 'blame-url'),
  };
}

/** `--deny-stall PATTERN…`: non-empty globs, and only where there is blame to read. */
function parseDenyStalls(raw: readonly string[], blame: boolean): string[] {
  if (!blame) throw new OptionsError('--deny-stall reads stall blame, so it cannot be combined with --no-blame');
  if (raw.some((p) => p.trim() === ''))
    throw new OptionsError("--deny-stall: an empty pattern; give a file or function glob, e.g. 'src/auth.js'");
  return [...new Set(raw)];
}

/** `--max-regression LIST [--inconclusive pass|fail] [--summary FILE]`, only with `--compare`. */
function parseRegression(values: LoadtestValues): Pick<HarnessOptions, 'regression'> {
  const raw = values['max-regression'];
  if (raw === undefined) {
    const orphan = (['inconclusive', 'summary'] as const).find((name) => values[name] !== undefined);
    if (orphan) throw new OptionsError(`--${orphan} goes with --max-regression (the gate on the --compare file)`);
    return {};
  }
  if (values.compare === undefined)
    throw new OptionsError('--max-regression gates a change against an earlier run: give it with --compare FILE');
  try {
    parseMargins(raw);
  } catch (err) {
    if (err instanceof MarginError) throw new OptionsError(err.message);
    throw err;
  }
  const inconclusive = values.inconclusive ?? LOADTEST_SPEC['inconclusive']?.default;
  if (inconclusive !== 'pass' && inconclusive !== 'fail')
    throw new OptionsError(`--inconclusive: "${String(inconclusive)}" is not one of pass, fail`);
  return { regression: { maxRegression: raw, inconclusive, summary: values.summary } };
}

/**
 * Parses the harness's command line into options, with the defaults filled in.
 * @returns `'help'` when --help was asked for.
 * @throws OptionsError with a message naming the option and what it allows.
 */
export function parseOptions(argv: readonly string[], cwd: string = userDirectory()): HarnessOptions | 'help' {
  // `-- node server.js`: everything after the first `--` is the server command, not the harness's.
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? undefined : argv.slice(split + 1);
  refuseRetired(own);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...own],
      strict: true,
      // Only for `--export k6 DIR`; any other positional is refused below.
      allowPositionals: true,
      tokens: true,
      options: parseArgsConfig(LOADTEST_SPEC),
    });
  } catch (err) {
    throw new OptionsError((err as Error).message);
  }
  const values = parsed.values as LoadtestValues;
  const tokens = parsed.tokens ?? [];
  if (values.help) return 'help';
  refuseRepeats(tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : [])));

  // Before --target's allow-list: --stall-threshold with --target has a refusal of its own, which says why.
  const blame = parseBlame(values, command);
  if (values['listen-timeout'] !== undefined && command === undefined)
    throw new OptionsError(
      '--listen-timeout goes with a server command after -- (--target /path -- node server.js): it is how long that server may take to listen',
    );
  const options: HarnessOptions = {
    flags: values,
    workloads: values.workloads ? parseNames(values.workloads, 'workloads') : [...DEFAULT_OPTIONS.workloads],
    modes: values.modes ? parseNames(values.modes, 'modes') : [...DEFAULT_OPTIONS.modes],
    workloadFiles: parseWorkloadFiles(values['workload-file'], cwd),
    connections: values.connections
      ? parseIntList(values.connections, 'connections', OPTION_LIMITS.connections)
      : [...DEFAULT_OPTIONS.connections],
    rates: values.rate ? parseIntList(values.rate, 'rate', OPTION_LIMITS.rate) : [],
    duration: values.duration
      ? parseIntValue(values.duration, 'duration', OPTION_LIMITS.duration)
      : DEFAULT_OPTIONS.duration,
    warmup: values.warmup ? parseIntValue(values.warmup, 'warmup', OPTION_LIMITS.warmup) : DEFAULT_OPTIONS.warmup,
    repeat: values.repeat ? parseIntValue(values.repeat, 'repeat', OPTION_LIMITS.repeat) : DEFAULT_OPTIONS.repeat,
    params: parseParams(values.params),
    workers: values.workers ? parseIntList(values.workers, 'workers', OPTION_LIMITS.workers) : [],
    processes: values.processes ? parseIntList(values.processes, 'processes', OPTION_LIMITS.processes) : [],
    url: parseUrl(values.url),
    ...parseTarget(values, command),
    ...(command !== undefined
      ? {
          listenTimeout: values['listen-timeout']
            ? parseIntValue(values['listen-timeout'], 'listen-timeout', OPTION_LIMITS.listenTimeout)
            : DEFAULT_LISTEN_TIMEOUT,
        }
      : {}),
    queueBackends: parseQueueBackends(
      values['queue-backends'],
      values.modes === undefined ? undefined : parseNames(values.modes, 'modes'),
      values.url,
    ),
    probeRate: values['probe-rate']
      ? parseIntValue(values['probe-rate'], 'probe-rate', OPTION_LIMITS.probeRate)
      : DEFAULT_OPTIONS.probeRate,
    out: values.out ?? DEFAULT_OPTIONS.out,
    json: values.json ?? false,
    compare: values.compare,
    ...parseRegression(values),
    thresholds: values.threshold ?? [],
    ...(values['deny-stall'] ? { denyStalls: parseDenyStalls(values['deny-stall'], blame.blame) } : {}),
    faults: values.faults ?? false,
    generators: values.generators
      ? parseIntValue(values.generators, 'generators', OPTION_LIMITS.generators)
      : DEFAULT_OPTIONS.generators,
    export: parseExport(values.export, tokens),
    ...blame,
  };
  if (options.export) refuseWithExport(values);
  if (options.faults) refuseWithFaults(values);
  if (options.url && options.workloadFiles.length > 0) {
    throw new OptionsError(
      '--workload-file loads files into the server the harness starts; with --url, start that server with WORKLOADS=<files> instead',
    );
  }
  if (options.url && options.workers.length > 0) {
    throw new OptionsError('--workers restarts the server per value, so it cannot be combined with --url');
  }
  if (options.url && options.processes.length > 0) {
    throw new OptionsError('--processes restarts the server per value, so it cannot be combined with --url');
  }
  if (values.connections && options.rates.length > 0) {
    throw new OptionsError('--connections (closed model) and --rate (open model) exclude each other');
  }
  refuseTooFewConnections(options);
  return options;
}
