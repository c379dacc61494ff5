/**
 * `looplab advise`'s flags, each defined once. Those it shares with `looplab loadtest` are that
 * command's entries (the same words, ranges and parser), narrowed where advise needs more (≥ 3 s
 * measured per run); the rest are its own. Help text and the reference page derive from this list.
 */
import type { Flag, Flags } from '../../lib/flags.ts';
import { LOADTEST_FLAGS as L } from '../flags.ts';

/** The one mode that replaces the experiment and takes only some of the flags. */
export type AdviseMode = 'target';
export const ADVISE_MODES: readonly AdviseMode[] = ['target'];

/** The loadtest flags advise passes on to that command's parser unchanged. */
export const SHARED_WITH_LOADTEST = [
  'workload-file',
  'workloads',
  'modes',
  'params',
  'target',
  'blame-url',
  'probe',
  'out',
] as const;

/** The in-flight levels a `--target` sweep tries by default: doublings, so the knee is found within a factor of 2. */
export const TARGET_SWEEP: readonly number[] = [1, 2, 4, 8, 16, 32];

/** A workload's candidates run at this many connections per core by default (see --connections). */
export const CONNECTIONS_PER_CORE = 4;

export const ADVISE_FLAGS = {
  'workload-file': { ...L['workload-file'], with: {} },
  workloads: {
    ...L.workloads,
    defaultText: "the one workload of --workload-file's file",
    doc: 'the one workload to advise on, by name (curl <server>/ lists them), e.g. cpu',
    examples: ['cpu'],
    with: {},
  },
  modes: {
    ...L.modes,
    defaultText: 'every mode the workload has but queue',
    doc: 'the modes to try, e.g. async,worker,queue (queue only when named)',
    with: {},
  },
  params: { ...L.params, with: {} },
  budget: {
    type: 'string',
    value: 'S',
    default: 300,
    range: { min: 30, max: 7200 },
    doc: 'seconds the whole experiment may take; screen candidates that do not fit are cut, and named',
    examples: ['120'],
    with: { target: true },
  },
  connections: {
    type: 'string',
    value: 'LIST',
    defaultText: `${CONNECTIONS_PER_CORE} × cores: a task running and one waiting on every thread of the largest pool`,
    range: L.connections.range,
    doc:
      `the closed-model load each candidate runs at (one value: enough to saturate the largest pool, not so much ` +
      `that its queue refuses); with --target, the sweep of requests in flight whose knee is sought (default ` +
      `${TARGET_SWEEP.join(',')})`,
    examples: ['32'],
    with: { target: true },
  },
  duration: {
    ...L.duration,
    default: 3,
    range: { min: 3, max: L.duration.range.max },
    doc: 'measured seconds per run (3 or more)',
    with: { target: true },
  },
  warmup: { ...L.warmup, default: 1, with: { target: true } },
  repeats: {
    type: 'string',
    value: 'N',
    default: 5,
    range: { min: 5, max: 20 },
    doc: 'interleaved runs of each of the best three candidates after the screen',
    examples: ['5'],
    with: { target: true },
  },
  'memory-budget': {
    type: 'string',
    value: 'MIB',
    range: { min: 16, max: 1_048_576 },
    doc: 'resident memory the server may use; a candidate above it is never recommended',
    examples: ['512'],
  },
  target: {
    ...L.target,
    doc: 'instead of a workload: any HTTP endpoint; advises an in-flight limit from the concurrency knee, checked by Little\u2019s law',
    with: { target: true },
  },
  'blame-url': {
    ...L['blame-url'],
    doc:
      "with --target: that server's stall-blame endpoint (its process started with node --import " +
      '<looplab>/stall-blame/preload.ts and LOOPLAB_BLAME_PORT); the advice then names the functions to move off its ' +
      'event loop, by file:line and share of the stalled time',
    with: { target: true },
  },
  probe: { ...L.probe, with: { target: true } },
  out: { ...L.out, with: { target: true } },
  json: { ...L.json, doc: 'print only the results JSON (with its advice) to stdout', with: { target: true } },
  help: { ...L.help, with: { target: true } },
} as const satisfies Record<string, Flag<AdviseMode>>;

/** The same list, seen as any command's flags. */
export const ADVISE_SPEC: Flags<AdviseMode> = { ...ADVISE_FLAGS };
