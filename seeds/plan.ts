import { availableParallelism } from 'node:os';
import { type Experiment, EXPERIMENTS, type IoExperiment, ioPaths, scaledLatency } from './experiments.ts';
import type { NodeForm } from './forms.ts';
import type { BatchItem } from './pool-work.ts';
import type { FormSizes } from './run-form.ts';
import type { SeedsOptions } from './results.ts';

/** The batch the pool-size sweep runs (Real Python's, whose author found 5–10 threads best). */
export const SWEEP_EXPERIMENT = 'realpython-io';
export const SWEEP_SIZES = {
  bounded: [1, 2, 5, 10, 20, 40, 80, 160],
  // Each thread is a V8 isolate of its own: 40 is as far as a shared 2-core machine is asked to go.
  'thread-pool': [1, 2, 5, 10, 20, 40],
} as const;

/** Rough costs for the ETA; the live estimate corrects them by the pace of the steps already run. */
const THREAD_START_S = 0.08;
const PROCESS_START_S = 0.35;
const CPU_BATCH_GUESS_S: Record<string, number> = {
  'realpython-cpu': 0.15,
  'testdriven-cpu': 0.6,
  'guide-sum': 0.15,
  'guide-matrix': 1.5,
};

/** One timed run: a form of an experiment (or a sweep point), in the order they will run. */
export interface Step {
  experiment: string;
  form: NodeForm;
  sizes: FormSizes;
  /** The size this step is filed under in the sweep; absent for an experiment's own table. */
  sweepSize?: number;
  items: () => BatchItem[];
  estimateS: number;
}

export function experimentsFor(options: Pick<SeedsOptions, 'only'>): Experiment[] {
  return options.only.length ? EXPERIMENTS.filter((e) => options.only.includes(e.id)) : [...EXPERIMENTS];
}

export function sizesFor(experiment: Experiment, cpus = availableParallelism()): FormSizes {
  return experiment.kind === 'io'
    ? { limit: experiment.limit, threads: experiment.limit, processes: cpus }
    : { limit: cpus, threads: cpus, processes: cpus };
}

export function itemsFor(experiment: Experiment, scale: number): BatchItem[] {
  return experiment.kind === 'io'
    ? ioPaths(experiment, scale).map((path) => ({ kind: 'io', path }))
    : experiment.tasks().map((task) => ({ kind: 'cpu', task }));
}

function estimate(experiment: Experiment, form: NodeForm, sizes: FormSizes, scale: number): number {
  if (experiment.kind === 'cpu') {
    const batch = CPU_BATCH_GUESS_S[experiment.id] ?? 1;
    if (form === 'thread-pool') return batch / sizes.threads + THREAD_START_S * sizes.threads;
    if (form === 'process-pool') return batch / sizes.processes + PROCESS_START_S * sizes.processes;
    return batch;
  }
  const latencyS = scaledLatency(experiment.sites[0]?.latencyMs ?? 0, scale) / 1000;
  const waves = (width: number) => Math.ceil(experiment.pages / width) * latencyS;
  switch (form) {
    case 'promise-all':
      return latencyS + 0.02;
    case 'bounded':
      return waves(sizes.limit);
    case 'thread-pool':
      return waves(sizes.threads) + THREAD_START_S * sizes.threads;
    case 'process-pool':
      return waves(sizes.processes) + PROCESS_START_S * sizes.processes;
    default:
      return waves(1);
  }
}

/**
 * Every step of a run. Within an experiment the forms are interleaved — each repeat runs every form
 * once, starting one form later each time — so that a slow spell on a shared machine falls on all of
 * them rather than on one, and the ratios within a run stay fair.
 */
export function planSteps(options: SeedsOptions): Step[] {
  const steps: Step[] = [];
  for (const experiment of experimentsFor(options)) {
    const sizes = sizesFor(experiment);
    const forms = experiment.rows.map((r) => r.form).filter((f, i, all) => all.indexOf(f) === i);
    for (let r = 0; r < options.repeats; r++) {
      for (let i = 0; i < forms.length; i++) {
        const form = forms[(i + r) % forms.length] as NodeForm;
        steps.push({
          experiment: experiment.id,
          form,
          sizes,
          items: () => itemsFor(experiment, options.scale),
          estimateS: estimate(experiment, form, sizes, options.scale),
        });
      }
    }
  }
  if (options.sweep) steps.push(...sweepSteps(options));
  return steps;
}

function sweepSteps(options: SeedsOptions): Step[] {
  const experiment = EXPERIMENTS.find((e) => e.id === SWEEP_EXPERIMENT) as IoExperiment;
  const points = [
    ...SWEEP_SIZES['thread-pool'].map((size) => ({ form: 'thread-pool' as const, size })),
    ...SWEEP_SIZES.bounded.map((size) => ({ form: 'bounded' as const, size })),
  ];
  const steps: Step[] = [];
  for (let r = 0; r < options.repeats; r++) {
    for (const { form, size } of points) {
      const sizes = { limit: size, threads: size, processes: size };
      steps.push({
        experiment: SWEEP_EXPERIMENT,
        form,
        sizes,
        sweepSize: size,
        items: () => itemsFor(experiment, options.scale),
        estimateS: estimate(experiment, form, sizes, options.scale),
      });
    }
  }
  return steps;
}
