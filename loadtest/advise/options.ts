/**
 * `looplab advise`'s command line → what to run. The flags it shares with `looplab loadtest` go through
 * that command's parser (the same checks and messages); its own are checked here against their spec.
 * Every refusal is an OptionsError with one sentence naming the flag and its range.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { parseArgsConfig } from '../../lib/flags.ts';
import { OptionsError } from '../cli/options-error.ts';
import { parseOptions, refuseRetired } from '../cli/options.ts';
import type { HarnessOptions } from '../types.ts';
import { ADVISE_FLAGS as F, ADVISE_SPEC, CONNECTIONS_PER_CORE, SHARED_WITH_LOADTEST, TARGET_SWEEP } from './flags.ts';

export interface AdviseOptions {
  /** The load test's options for each run (connections, duration, warm-up, workload, params, out, json). */
  harness: HarnessOptions;
  budgetSeconds: number;
  repeats: number;
  memoryBudgetMb: number | undefined;
}

function whole(raw: string | undefined, name: keyof typeof F, range: { min: number; max: number }): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < range.min || value > range.max)
    throw new OptionsError(`--${name}: "${raw}" is not a whole number from ${range.min} to ${range.max}`);
  return value;
}

export function parseAdviseArgs(argv: readonly string[], cwd?: string): AdviseOptions | 'help' {
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  refuseRetired(argv);
  try {
    ({ values } = parseArgs({ args: [...argv], options: parseArgsConfig(ADVISE_SPEC), strict: true }));
  } catch (err) {
    throw new OptionsError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values['help']) return 'help';
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const forwarded = SHARED_WITH_LOADTEST.flatMap((name) => {
    const v = values[name];
    if (v === undefined) return [];
    return (Array.isArray(v) ? v : [v]).map((item) => `--${name}=${item}`);
  });
  if (values['blame-url'] !== undefined && values['target'] === undefined)
    throw new OptionsError(
      "--blame-url goes with --target URL (a server looplab did not start); for a workload, advise's own server needs none",
    );
  const shared = parseOptions(forwarded, cwd);
  if (shared === 'help') return 'help';
  const target = shared.target !== undefined;
  if (
    !target &&
    values['memory-budget'] === undefined &&
    shared.workloadFiles.length === 0 &&
    shared.workloads.length === 0
  )
    throw new OptionsError('name the workload to advise on: --workloads NAME (a built-in) or --workload-file FILE');
  if (shared.workloads.length > 1)
    throw new OptionsError(`--workloads: advise takes one workload, got ${shared.workloads.join(', ')}`);
  if (target && values['memory-budget'] !== undefined)
    throw new OptionsError(
      '--memory-budget needs looplab\u2019s own server (its /metrics); with --target, no memory is read',
    );
  const connections =
    text('connections')
      ?.split(',')
      .map((c) => whole(c, 'connections', F.connections.range) as number) ??
    (target ? [...TARGET_SWEEP] : [CONNECTIONS_PER_CORE * availableParallelism()]);
  if (!target && connections.length > 1)
    throw new OptionsError('--connections: one value (the load every candidate runs at); a sweep is for --target');
  return {
    harness: {
      ...shared,
      connections,
      duration: whole(text('duration'), 'duration', F.duration.range) ?? F.duration.default,
      warmup: whole(text('warmup'), 'warmup', F.warmup.range) ?? F.warmup.default,
      repeat: 1,
      json: values['json'] === true,
    },
    budgetSeconds: whole(text('budget'), 'budget', F.budget.range) ?? F.budget.default,
    repeats: whole(text('repeats'), 'repeats', F.repeats.range) ?? F.repeats.default,
    memoryBudgetMb: whole(text('memory-budget'), 'memory-budget', F['memory-budget'].range),
  };
}
