/**
 * A threshold on the canary's p99 (`health_p99`) needs 100 probes in each run's window, or the p99 is
 * not measured and the gate fails on a missing figure. With the default probe rate a short run sends too
 * few (3 s × 20/s = 60), so the rate is raised to what the window needs, or, when `--probe-rate` was
 * given, the run is refused saying exactly what is missing.
 */
import { parseArgs } from 'node:util';
import type { Threshold } from '../analyse/thresholds.ts';
import { OPTION_LIMITS } from '../defaults.ts';
import { samplesFor } from '../measure/latency-histogram.ts';
import type { HarnessOptions } from '../types.ts';
import { OptionsError } from './options-error.ts';

/** Samples a p99 needs (measure/latency-histogram.ts). */
const P99_SAMPLES = samplesFor(99);
/** Room for a probe or two that the window's end cuts off on a busy machine. */
const MARGIN = 1.1;

const usesProbeP99 = (t: Threshold) => t.left.metric === 'health_p99' || t.right?.metric === 'health_p99';

function probeRateGiven(argv: readonly string[]): boolean {
  const { tokens = [] } = parseArgs({ args: [...argv], strict: false, tokens: true, allowPositionals: true });
  return tokens.some((t) => t.kind === 'option' && t.name === 'probe-rate');
}

/** The options with a probe rate the thresholds can use, and the line that says it was raised. */
export function sizeProbes(
  options: HarnessOptions,
  thresholds: readonly Threshold[],
  argv: readonly string[],
): { options: HarnessOptions; note: string | undefined } {
  const gate = thresholds.find(usesProbeP99);
  if (!gate) return { options, note: undefined };
  if (options.target && !options.probe)
    throw new OptionsError(
      `threshold "${gate.source}": health_p99 is the canary's p99, and a --target run has no canary without --probe PATH (e.g. --probe /health)`,
    );
  const probes = options.probeRate * options.duration;
  if (probes >= P99_SAMPLES) return { options, note: undefined };
  const least = Math.ceil(P99_SAMPLES / options.duration);
  if (probeRateGiven(argv))
    throw new OptionsError(
      `threshold "${gate.source}": a p99 needs ${P99_SAMPLES} probes per run, and ${options.duration} s × ` +
        `${options.probeRate}/s = ${probes} probes < ${P99_SAMPLES}: --probe-rate ≥ ${least} (or --duration ≥ ` +
        `${Math.ceil(P99_SAMPLES / options.probeRate)})`,
    );
  const rate = Math.min(OPTION_LIMITS.probeRate.max, Math.ceil(least * MARGIN));
  return {
    options: { ...options, probeRate: rate },
    note:
      `probe rate ${options.probeRate}/s → ${rate}/s: "${gate.source}" needs a p99 of ${P99_SAMPLES} probes per run, ` +
      `and ${options.duration} s × ${options.probeRate}/s is ${probes}`,
  };
}
