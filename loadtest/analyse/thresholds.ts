import { groupScenarios, type ComparableGroup } from './analysis.ts';
import { TARGET_MODE, TARGET_WORKLOAD } from './target-scenario.ts';
import type { ModeName, Results, ScenarioResult, WorkloadName } from '../types.ts';
import type { RunBlame } from '../measure/blame-window.ts';
import { samplesFor } from '../measure/latency-histogram.ts';
import { median } from './stats.ts';

interface Metric {
  read(r: ScenarioResult): number;
  /** The unit the value is compared in: the same one the table shows. */
  unit: string;
  /** Why the figure can be missing, for a gate that fails on it. */
  needs: string;
}

const SAMPLES = `enough samples: p99 needs ${samplesFor(99)}, p99.9 needs ${samplesFor(99.9)}`;
const METRICS_ENDPOINT = "looplab's /metrics, which a --target does not have";

/**
 * Figures a threshold can name, read from a scenario's medians, each in the unit the table shows it in:
 * a reader copies a number from the table into a threshold, so `loop_busy<80` means 80%, not 0.8.
 * A figure the run cannot support (a percentile with too few samples, no `/metrics`) reads as NaN:
 * a gate on it checks nothing, so it fails.
 */
const METRICS: Readonly<Record<string, Metric>> = {
  rps: { read: (r) => r.summary.rps.median, unit: 'req/s', needs: 'answers' },
  p50: { read: (r) => r.summary.p50?.median ?? Number.NaN, unit: 'ms', needs: SAMPLES },
  p90: { read: (r) => r.summary.p90?.median ?? Number.NaN, unit: 'ms', needs: SAMPLES },
  p99: { read: (r) => r.summary.p99?.median ?? Number.NaN, unit: 'ms', needs: SAMPLES },
  p999: { read: (r) => r.summary.p999?.median ?? Number.NaN, unit: 'ms', needs: SAMPLES },
  max: { read: (r) => r.summary.max?.median ?? Number.NaN, unit: 'ms', needs: 'answers' },
  errors: {
    read: (r) => r.summary.errors + r.summary.timeouts + r.summary.non2xx + r.summary.dropped + r.summary.abandoned,
    unit: 'count: errors + timeouts + non-2xx + dropped + abandoned',
    needs: 'nothing',
  },
  health_p99: {
    read: (r) => r.summary.healthP99?.median ?? Number.NaN,
    unit: 'ms, the /health probe',
    needs: `the canary (with --target, --probe PATH) and ${samplesFor(99)} probes in each run (--probe-rate × --duration)`,
  },
  loop_delay_p99: {
    read: (r) => r.summary.eventLoopDelayP99Ms?.median ?? blameMedian(r, (b) => b.loopDelayP99Ms),
    unit: 'ms; with --target, from the preload at --blame-url',
    needs: `${METRICS_ENDPOINT}, or with --target the stall-blame preload's endpoint (--blame-url)`,
  },
  stalled_ms: {
    // The machine's waits for a CPU are not the code's: only the stall time the code held the loop.
    read: (r) => blameMedian(r, (b) => b.stallMs - b.cpuWaitMs),
    unit: 'ms of stalls per run, waits for a CPU left out',
    needs: 'stall blame (on by default; with --url or --target, --blame-url)',
  },
  loop_busy: {
    read: (r) => percent(r.summary.eventLoopUtilization?.median),
    unit: '% of the run, 0..100',
    needs: METRICS_ENDPOINT,
  },
  efficiency: {
    read: (r) => percent(r.efficiency),
    unit: '% of bound, as "of bound"',
    needs: "a looplab workload's bound model (none with --target)",
  },
  queue_wait: {
    read: (r) => r.summary.queue?.waitMs.median ?? Number.NaN,
    unit: 'ms, mean queue wait, queue mode',
    needs: "queue mode and a job counted in the server's /metrics",
  },
  queue_run: {
    read: (r) => r.summary.queue?.processingMs.median ?? Number.NaN,
    unit: 'ms, mean processing in a queue worker, queue mode',
    needs: "queue mode and a job counted in the server's /metrics",
  },
};

/** The median over the runs whose blame was read of `pick`; NaN when none was, or none had the figure. */
function blameMedian(r: ScenarioResult, pick: (b: RunBlame) => number | null | undefined): number {
  const values = r.runs
    .map((run) => (run.blame && run.blame.error === null ? pick(run.blame) : null))
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length > 0 ? median(values) : Number.NaN;
}

function percent(fraction: number | null | undefined): number {
  return fraction === null || fraction === undefined ? Number.NaN : fraction * 100;
}

/** The metric names a threshold can use, with their units, for `--help`. */
export const THRESHOLD_METRICS_TEXT = Object.entries(METRICS)
  .map(([name, m]) => `${name} (${m.unit})`)
  .join(', ');

const OPERATORS = ['>=', '<=', '==', '>', '<'] as const;
type Operator = (typeof OPERATORS)[number];

interface Reference {
  workload: WorkloadName;
  mode: ModeName;
  metric: string;
}

/** `left op factor * right` or `left op number`. */
export interface Threshold {
  source: string;
  left: Reference;
  op: Operator;
  factor: number;
  right: Reference | null;
}

export class ThresholdError extends Error {
  override name = 'ThresholdError';
}

const NAME = /^[a-z][a-z0-9-]*$/;

/** `'/login'.p99`: a --target scenario, named by its path (and query) in single quotes. */
const QUOTED_PATH = /^'(\/[^']*)'\.([a-z0-9_]+)$/;

function parseReference(text: string, source: string): Reference {
  const quoted = QUOTED_PATH.exec(text);
  if (quoted) {
    const [, path = '', metric = ''] = quoted;
    if (!(metric in METRICS))
      throw new ThresholdError(
        `threshold "${source}": unknown metric "${metric}" (${Object.keys(METRICS).join(', ')})`,
      );
    return { workload: path, mode: TARGET_MODE, metric };
  }
  const parts = text.split('.');
  // A --target run has one scenario per level and no modes: `target.p99`.
  if (parts.length === 2 && parts[0] === TARGET_WORKLOAD) parts.splice(1, 0, TARGET_MODE);
  const [workload, mode, metric, ...rest] = parts;
  if (rest.length > 0 || !workload || !mode || !metric)
    throw new ThresholdError(
      `threshold "${source}": "${text}" is not workload.mode.metric (or, with --target, '/path'.metric or target.metric)`,
    );
  // Which workloads and modes exist is the server's to say; a name no scenario ran fails the gate.
  if (!NAME.test(workload))
    throw new ThresholdError(
      `threshold "${source}": "${workload}" is not a workload name (lowercase letters, digits, dashes)`,
    );
  if (!NAME.test(mode) && !(workload === TARGET_WORKLOAD && mode === TARGET_MODE))
    throw new ThresholdError(`threshold "${source}": "${mode}" is not a mode name (lowercase letters, digits, dashes)`);
  if (!(metric in METRICS))
    throw new ThresholdError(`threshold "${source}": unknown metric "${metric}" (${Object.keys(METRICS).join(', ')})`);
  return { workload: workload as WorkloadName, mode: mode as ModeName, metric };
}

/**
 * Parses a k6-style threshold such as `hash.worker.rps>=1.5*hash.blocking.rps` or `fetch.async.p99<300`
 * (latencies in ms).
 * @throws ThresholdError naming what is wrong.
 */
export function parseThreshold(source: string): Threshold {
  const text = source.replace(/\s+/g, '');
  // A quoted path may hold `=` or `<` itself (`'/work?size=3'`): the comparison is looked for outside quotes.
  const bare = text.replace(/'[^']*'/g, (quoted) => '_'.repeat(quoted.length));
  const op = OPERATORS.find((candidate) => bare.includes(candidate));
  if (!op) throw new ThresholdError(`threshold "${source}": no comparison (${OPERATORS.join(' ')})`);
  const at = bare.indexOf(op);
  const [leftText, rightText] = [text.slice(0, at), text.slice(at + op.length)];
  const left = parseReference(leftText, source);
  if (/^\d+(\.\d+)?$/.test(rightText)) return { source, left, op, factor: Number(rightText), right: null };
  // Names may have dashes: a workload of a file (my-work), a queue row by backend (queue-redis).
  const scaled = /^(?:(\d+(?:\.\d+)?)\*)?([a-z_.0-9-]+|'\/[^']*'\.[a-z0-9_]+)$/.exec(rightText);
  if (!scaled?.[2])
    throw new ThresholdError(`threshold "${source}": right side must be a number, a reference, or number*reference`);
  return { source, left, op, factor: scaled[1] ? Number(scaled[1]) : 1, right: parseReference(scaled[2], source) };
}

export interface ThresholdOutcome {
  source: string;
  passed: boolean;
  detail: string;
}

const compare = (a: number, op: Operator, b: number) =>
  op === '>=' ? a >= b : op === '<=' ? a <= b : op === '>' ? a > b : op === '<' ? a < b : a === b;

const refText = (r: Reference) =>
  r.mode !== TARGET_MODE
    ? `${r.workload}.${r.mode}.${r.metric}`
    : r.workload === TARGET_WORKLOAD
      ? `${r.workload}.${r.metric}`
      : `'${r.workload}'.${r.metric}`;

/**
 * `target.metric` names the one target of a run that has one; with several, it names none (and the gate
 * fails: "no scenario measured both sides"), since which path it meant cannot be told.
 */
function resolveTarget(ref: Reference, groups: readonly ComparableGroup[]): Reference {
  if (ref.workload !== TARGET_WORKLOAD || ref.mode !== TARGET_MODE) return ref;
  const paths = new Set(groups.filter((g) => g.byMode[TARGET_MODE] !== undefined).map((g) => g.workload));
  const [only] = paths;
  return paths.size === 1 && only !== undefined ? { ...ref, workload: only } : ref;
}

function valueIn(group: ComparableGroup, ref: Reference): number | undefined {
  const result = group.workload === ref.workload ? group.byMode[ref.mode] : undefined;
  const metric = METRICS[ref.metric];
  return result && metric ? metric.read(result) : undefined;
}

/**
 * Checks a threshold at every load level where both sides' scenarios ran; it passes only if it holds at
 * each, and fails if no level has both sides or a figure there could not be measured (a gate that
 * checks nothing must not pass).
 */
export function evaluateThreshold(given: Threshold, results: Results): ThresholdOutcome {
  const groups = groupScenarios(results);
  const threshold = {
    ...given,
    left: resolveTarget(given.left, groups),
    right: given.right && resolveTarget(given.right, groups),
  };
  const levels = [...new Set(groups.map((g) => g.level))];
  const details: string[] = [];
  let checked = 0;
  let passed = true;
  for (const level of levels) {
    const at = (workload: WorkloadName) => groups.find((g) => g.level === level && g.workload === workload);
    const leftGroup = at(threshold.left.workload);
    const left = leftGroup && valueIn(leftGroup, threshold.left);
    const rightGroup = threshold.right ? at(threshold.right.workload) : undefined;
    const right = threshold.right ? rightGroup && valueIn(rightGroup, threshold.right) : 1;
    if (left === undefined || right === undefined) continue;
    checked++;
    // Both scenarios ran, but a figure could not be measured: the gate cannot hold there.
    if (Number.isNaN(left) || Number.isNaN(right)) {
      passed = false;
      // Named as the user wrote it (target.p99 stays target.p99).
      const missing = Number.isNaN(left) ? given.left : given.right;
      details.push(
        `${level}: ` +
          `${missing ? `${refText(missing)} not measured (it needs ${METRICS[missing.metric]?.needs ?? 'a measurement'})` : 'value not measured'} ` +
          `FAILED`,
      );
      continue;
    }
    const target = threshold.factor * right;
    const ok = compare(left, threshold.op, target);
    passed &&= ok;
    details.push(`${level}: ${left.toFixed(2)} ${threshold.op} ${target.toFixed(2)} ${ok ? 'ok' : 'FAILED'}`);
  }
  if (checked === 0) return { source: threshold.source, passed: false, detail: 'no scenario measured both sides' };
  return { source: threshold.source, passed, detail: details.join('; ') };
}
