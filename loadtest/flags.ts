/**
 * `looplab loadtest`'s flags, each defined once: its type, default, range, doc and which of the modes
 * that replace the matrix (`--faults`, `--export`, `--target`) it goes with. The parser
 * (cli/options.ts), `--help` (cli/usage.ts), the defaults (defaults.ts), the refusals of those modes
 * and docs/reference/cli.md are derived from this list: adding a flag is one entry here, plus the
 * line of parseOptions that reads it.
 */
import { availableParallelism } from 'node:os';
import type { Flag, FlagValues, Flags } from '../lib/flags.ts';
import { THRESHOLD_METRICS_TEXT } from './analyse/thresholds.ts';
import { DEFAULT_BLAME_MARGIN_MS, REGRESSION_FIGURES_TEXT } from './analyse/regression-figures.ts';
import { EXIT } from './cli/exit-codes.ts';

/** The modes that replace the matrix and take only some of the flags. */
/** The fault drill's arrival rate (requests/s per workload) when no `--rate` is given. */
export const FAULT_DRILL_RATE = 50;

export type LoadtestMode = 'faults' | 'export' | 'target';
export const LOADTEST_MODES: readonly LoadtestMode[] = ['faults', 'export', 'target'];

type LoadtestFlag = Flag<LoadtestMode>;

/** What `--export` and `--target` take besides their own flag: what shapes the load and reads its answers. */
const SHAPES_THE_LOAD = { export: true, target: true } as const;

export const LOADTEST_FLAGS = {
  'workload-file': {
    type: 'string',
    value: 'FILE',
    multiple: true,
    doc:
      'a workload file of your own for the server the harness starts (its WORKLOADS); comma-separated or one per ' +
      '--workload-file; paths are relative to where you typed the command; without --workloads, the run is these ' +
      "files' workloads",
    examples: ['./my-work.ts'],
    with: { export: true },
  },
  workloads: {
    type: 'string',
    value: 'NAMES',
    defaultText: 'every built-in, or with --workload-file every workload of those files',
    doc: "workloads by name, as the server's index lists them (curl <server>/), e.g. my-work,hash",
    examples: ['hash,fetch'],
    with: { export: true },
  },
  modes: {
    type: 'string',
    value: 'LIST',
    defaultText: 'every mode the server has',
    doc: 'modes by name, e.g. blocking,async,worker; a workload without one of them has no scenario for it',
    examples: ['blocking,async'],
    with: { export: true },
  },
  connections: {
    type: 'string',
    value: 'LIST',
    default: [20],
    range: { min: 1, max: 1000 },
    doc: 'closed-model concurrency levels; a list is a sweep',
    examples: ['10,50'],
    with: SHAPES_THE_LOAD,
  },
  rate: {
    type: 'string',
    value: 'LIST',
    range: { min: 1, max: 100_000 },
    doc: 'open model instead: constant arrival rates in requests/s',
    examples: ['50'],
    with: { ...SHAPES_THE_LOAD, faults: '(one value)' },
  },
  duration: {
    type: 'string',
    value: 'S',
    default: 8,
    range: { min: 1, max: 600 },
    doc: 'measured seconds per run',
    examples: ['3'],
    with: { ...SHAPES_THE_LOAD, faults: '(seconds per phase)' },
  },
  warmup: {
    type: 'string',
    value: 'S',
    default: 2,
    range: { min: 0, max: 60 },
    doc: 'unmeasured seconds before each run',
    examples: ['1'],
    with: SHAPES_THE_LOAD,
  },
  repeat: {
    type: 'string',
    value: 'N',
    default: 1,
    range: { min: 1, max: 20 },
    doc: 'runs per scenario; medians and spread are reported',
    examples: ['3'],
    with: { target: true },
  },
  params: {
    type: 'string',
    value: 'LIST',
    doc:
      `workload parameters, e.g. fetch.delay=100,hash.cost=50000,db.sleep=20, over each workload's load-test ` +
      `defaults (the index's "loadtest"); checked by the server itself before any load (curl <server>/ lists them)`,
    examples: ['fetch.delay=100'],
    with: { export: true },
  },
  workers: {
    type: 'string',
    value: 'LIST',
    range: { min: 1, max: 64 },
    doc: 'worker-pool sizes to sweep; restarts the server per value (not with --url)',
    examples: ['1,2'],
  },
  processes: {
    type: 'string',
    value: 'LIST',
    range: { min: 1, max: 64 },
    doc: 'server processes to sweep (CLUSTER, node:cluster); restarts the server per value (not with --url); --workers and the pools are per process',
    examples: ['1,2'],
  },
  'queue-backends': {
    type: 'string',
    value: 'LIST',
    allowed: ['postgres', 'redis'],
    doc:
      "queue mode's backends side by side: the queue scenarios run once per backend, each on a server of its own, " +
      'rows named queue-postgres, queue-redis; redis starts a redis-server on a free port (or uses REDIS_URL); ' +
      'implies queue mode; not with --url',
    examples: ['postgres'],
  },
  url: {
    type: 'string',
    value: 'URL',
    doc: 'an already-running looplab server: start nothing',
    examples: ['http://127.0.0.1:3000'],
    with: { export: true },
  },
  target: {
    type: 'string',
    value: 'URL|PATHS',
    doc:
      'instead of looplab: load any HTTP endpoint (path and query as given) with the same models, canary, report and ' +
      "thresholds; no event-loop figures, bounds or verdicts (those need looplab's GET /, /metrics). With a server " +
      'command after --, comma-separated paths on the server that command starts, each its own scenario named by its ' +
      "path ('/login'.p99<300): `--target /login,/orders -- node server.js` starts it with the stall-blame preload " +
      '(blame with no --blame-url) and PORT set to a free port unless PORT is set, loads the port it really listens ' +
      'on, and stops it and its children at the end',
    examples: ['http://127.0.0.1:8080/orders'],
  },
  probe: {
    type: 'string',
    value: 'PATH',
    defaultText: 'none, and the /health p99 column stays empty',
    doc: 'with --target: the canary path on its server, e.g. /health',
    examples: ['/health'],
    needs: ['--target', 'http://127.0.0.1:8080/orders'],
    with: { target: true },
  },
  generators: {
    type: 'string',
    value: 'N',
    default: 1,
    // Up to four generator processes per core: more only take turns on the same cores.
    range: { min: 1, max: availableParallelism() * 4 },
    rangeText: '1..4 × cores',
    doc:
      "load-generator processes sharing each scenario's load (4 per core; 1 is the harness's own process): " +
      'connections are split across them, an open-model rate is divided, histograms are merged exactly',
    examples: ['2'],
    with: { target: true },
  },
  'no-blame': {
    type: 'boolean',
    doc: 'no stall blame (on by default: the server profiles its event loop and each run names the code that stalled it, one line under each scenario)',
    with: { target: true },
  },
  'stall-threshold': {
    type: 'string',
    value: 'MS',
    default: 20,
    range: { min: 2, max: 60_000 },
    doc:
      'a stall is the event loop more than MS late; for the server the harness starts, looplab or your command after ' +
      '-- (with --url, that server was started with its own STALL_THRESHOLD_MS)',
    examples: ['50'],
  },
  'listen-timeout': {
    type: 'string',
    value: 'S',
    default: 30,
    range: { min: 1, max: 600 },
    doc: 'with a server command after --: how long its server may take to listen before the run gives up, showing the end of its output',
    examples: ['60'],
    needs: ['--target', '/', '--', 'node', 'server.js'],
  },
  'blame-url': {
    type: 'string',
    value: 'URL',
    doc: "with --url or --target URL: that server's stall-blame endpoint (started with node --import <looplab>/stall-blame/preload.ts and LOOPLAB_BLAME_PORT)",
    examples: ['http://127.0.0.1:9300'],
    needs: ['--target', 'http://127.0.0.1:8080/orders'],
    with: { target: true },
  },
  'probe-rate': {
    type: 'string',
    value: 'N',
    default: 20,
    range: { min: 1, max: 200 },
    doc: '/health probes per second during each run',
    examples: ['10'],
    with: SHAPES_THE_LOAD,
  },
  out: {
    type: 'string',
    value: 'DIR',
    default: 'results',
    doc: 'where results/<timestamp>/ goes',
    examples: ['results'],
    with: { faults: true, target: true },
  },
  json: {
    type: 'boolean',
    doc: 'print only the results JSON to stdout (every other line goes to stderr)',
    with: { faults: true, target: true },
  },
  quiet: {
    type: 'boolean',
    doc:
      'no progress line every few seconds, nor a live line on a terminal: one line per run, as in a CI log; start-up ' +
      'steps, warnings and the results are unchanged',
    with: { target: true },
  },
  'no-html': {
    type: 'boolean',
    doc:
      'write results.json and report.md only, not report.html (one file with its 51 KB chart library inlined): ' +
      'for a CI job that keeps the Markdown and the figures',
    with: { target: true },
  },
  compare: {
    type: 'string',
    value: 'FILE',
    doc: 'show the change of every figure against an earlier results.json',
    examples: ['results/x/results.json'],
    with: { target: true },
  },
  'max-regression': {
    type: 'string',
    value: 'LIST',
    doc:
      `with --compare, a gate for pull requests: exit ${EXIT.regressed} when a figure of a scenario got worse than ` +
      `in the earlier results.json both beyond run-to-run noise (Mann–Whitney, Holm-corrected over every figure and ` +
      `culprit compared) and by more than the margin. 10% gates every figure (${REGRESSION_FIGURES_TEXT}) and stall ` +
      `blame (a culprit new or grown by more than ${DEFAULT_BLAME_MARGIN_MS} ms per run); rps=5%,p99=15% gates only ` +
      `those; blame=30ms sets the culprit margin. Needs several runs a side (--repeat, on both): it says how many`,
    examples: ['10%'],
    needs: ['--compare', 'results/x/results.json'],
    with: { target: true },
  },
  inconclusive: {
    type: 'string',
    value: 'pass|fail',
    allowed: ['pass', 'fail'],
    default: 'pass',
    doc:
      `with --max-regression: what a figure worse by more than its margin that the runs cannot tell from noise means ` +
      `for the exit code: pass (exit 0, and the summary says so) or fail (exit ${EXIT.inconclusive})`,
    examples: ['fail'],
    needs: ['--compare', 'results/x/results.json', '--max-regression', '10%'],
    with: { target: true },
  },
  summary: {
    type: 'string',
    value: 'FILE',
    defaultText: '$GITHUB_STEP_SUMMARY when set (appended), else none',
    doc: "with --max-regression: write the comparison's Markdown summary to FILE",
    examples: ['summary.md'],
    needs: ['--compare', 'results/x/results.json', '--max-regression', '10%'],
    with: { target: true },
  },
  threshold: {
    type: 'string',
    value: 'EXPR',
    multiple: true,
    doc:
      `fail (exit 1) unless EXPR holds, e.g. 'hash.worker.rps>=1.5*hash.blocking.rps' or 'fetch.async.p99<300' or ` +
      `'cpu.async.loop_busy<80'. EXPR is workload.mode.metric OP number, or OP [factor*]workload.mode.metric, OP one ` +
      `of >= <= == > <; a --target scenario is its path in single quotes, '/login'.p99<300 (with one path, ` +
      `target.p99 names it too); each metric in the unit the table shows: ${THRESHOLD_METRICS_TEXT}`,
    examples: ['fetch.async.p99<300'],
    with: SHAPES_THE_LOAD,
  },
  'deny-stall': {
    type: 'string',
    value: 'PATTERN',
    multiple: true,
    doc:
      'fail (exit 1, as a threshold) when stall blame names a culprit whose file or function matches PATTERN, e.g. ' +
      "'src/auth.js' or 'src/db/**' (the gate's allowlist globs: * within a folder, ** across); needs stall blame " +
      '(on by default; with --url or --target, --blame-url)',
    examples: ['src/auth.js'],
    with: SHAPES_THE_LOAD,
  },
  faults: {
    type: 'boolean',
    doc:
      `instead of the matrix: load the async mode of the workloads that declare a database or upstream dependency at ` +
      `--rate (default ${FAULT_DRILL_RATE}) while the database, then the upstream, are stopped and restarted ` +
      `(--duration s per phase), then load /fetch/queue and SIGKILL a queue worker mid-job`,
  },
  export: {
    type: 'string',
    value: 'k6 DIR',
    allowed: ['k6'],
    doc:
      'instead of running: write each scenario as a k6 script (TypeScript) into DIR, the thresholds k6 can express ' +
      'translated; asks the server (GET /) for the plan but sends no load',
    examples: ['k6', 'scripts'],
  },
  help: {
    type: 'boolean',
    short: 'h',
    doc: 'this text',
    with: { faults: true, export: true, target: true },
  },
} as const satisfies Record<string, LoadtestFlag>;

export type LoadtestFlagName = keyof typeof LOADTEST_FLAGS;

/** The harness's parsed flags as they were given, typed by the spec (`HarnessOptions.flags`). */
export type LoadtestValues = FlagValues<typeof LOADTEST_FLAGS>;

/**
 * What `--target PATHS -- <command>` takes besides --target's own allow-list: the harness starts that
 * server, so it sets its stall threshold and waits for it to listen.
 */
export const WITH_A_SERVER_COMMAND: readonly LoadtestFlagName[] = ['stall-threshold', 'listen-timeout'];

/** The same list, seen as any command's flags: for the code that walks it (parser config, help, docs). */
export const LOADTEST_SPEC: Flags<LoadtestMode> = { ...LOADTEST_FLAGS };

/**
 * Flags that are no more, each with the one line that says what took its place (strict parsing would
 * otherwise call them unknown and leave the user to guess).
 */
export const RETIRED_LOADTEST_FLAGS: Readonly<Record<string, string>> = {
  workload:
    '--workload is now two flags: --workload-file FILE for a workload file of your own, --workloads NAMES for workloads by name',
  'blame-threshold':
    '--blame-threshold is now called --stall-threshold (the one name of the stall threshold, as STALL_THRESHOLD_MS)',
};
