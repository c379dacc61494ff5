import type { Threshold } from '../analyse/thresholds.ts';
import type { Scenario } from '../types.ts';

/** The custom metrics the generated scripts record (k6-script.ts), tagged by k6 with their scenario. */
export const K6_METRICS = {
  okDuration: 'looplab_2xx_duration',
  ok: 'looplab_2xx',
  failed: 'looplab_failed',
  healthDuration: 'looplab_health_duration',
} as const;

/** Thresholds for one script: k6's own, and the harness's that k6 cannot express, with why. */
export interface K6Thresholds {
  k6: Record<string, string[]>;
  untranslated: string[];
}

/** A latency metric of the table → k6's aggregation of a Trend. */
const TREND_AGGREGATIONS: Readonly<Record<string, string>> = {
  p50: 'med',
  p90: 'p(90)',
  p99: 'p(99)',
  p999: 'p(99.9)',
  max: 'max',
};
// The harness's operators (>= <= == > <) are all k6's too (its metrics/thresholds_parser.go), as written.
const measured = (metric: string) => `${metric}{scenario:measure}`;

function translate(
  t: Threshold,
  durationSeconds: number,
  closed: boolean,
): { metric: string; expression: string }[] | string {
  if (t.right) return 'compares two scenarios; a k6 threshold compares one metric with a constant';
  const { metric } = t.left;
  const aggregation = TREND_AGGREGATIONS[metric];
  if (aggregation) return [{ metric: measured(K6_METRICS.okDuration), expression: `${aggregation}${t.op}${t.factor}` }];
  if (metric === 'health_p99')
    return [{ metric: measured(K6_METRICS.healthDuration), expression: `p(99)${t.op}${t.factor}` }];
  // req/s is 2xx answers ÷ the measured window, and the script's `measure` scenario is that window.
  if (metric === 'rps')
    return [{ metric: measured(K6_METRICS.ok), expression: `count${t.op}${t.factor * durationSeconds}` }];
  if (metric === 'errors') {
    // The harness counts failures, non-2xx, drops and abandoned requests as one number; k6 has failures
    // and dropped iterations as two counters, so only "none at all" splits exactly into both.
    const none =
      (t.op === '==' || t.op === '<=') && t.factor === 0 ? 0 : t.op === '<' && t.factor === 1 ? 0 : undefined;
    if (none === undefined)
      return 'errors is one sum here, two k6 counters there (failures, dropped_iterations): only errors==0 (or <1, <=0) translates';
    const failures = { metric: measured(K6_METRICS.failed), expression: 'count==0' };
    // Only an arrival-rate executor drops iterations.
    return closed ? [failures] : [failures, { metric: measured('dropped_iterations'), expression: 'count==0' }];
  }
  return "the server's own /metrics (loop delay, loop busy) and the harness's bounds (efficiency) are not k6 metrics";
}

/**
 * The `--threshold`s that name this scenario's workload and mode, as k6 thresholds on the script's
 * metrics (the `measure` scenario only, so the warm-up is not judged); the rest are returned with the
 * reason, for a comment in the script.
 */
export function k6Thresholds(
  scenario: Scenario,
  thresholds: readonly Threshold[],
  durationSeconds: number,
): K6Thresholds {
  const k6: Record<string, string[]> = {};
  const untranslated: string[] = [];
  for (const t of thresholds) {
    if (t.left.workload !== scenario.workload || t.left.mode !== scenario.mode) continue;
    const result = translate(t, durationSeconds, scenario.rate === undefined);
    if (typeof result === 'string') {
      untranslated.push(`${t.source}: ${result}`);
      continue;
    }
    for (const { metric, expression } of result) (k6[metric] ??= []).push(expression);
  }
  return { k6, untranslated };
}
