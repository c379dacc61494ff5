import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import type { ManagedChild } from '../lib/child-process.ts';
import { createSyncIo } from '../server/offload/sync-io.ts';
import { startUpstream } from '../upstream/launch.ts';
import { EXPERIMENTS, type IoExperiment, scaledLatency } from './experiments.ts';
import { createPageClient } from './page-client.ts';
import { planSteps, SWEEP_EXPERIMENT, type Step } from './plan.ts';
import type { ExperimentResult, SeedsOptions, SeedsResults, SweepPoint } from './results.ts';
import { type FormClients, runForm, type Sample } from './run-form.ts';

/** Told after every step, for progress and the ETA. */
export interface SeedsHooks {
  onStep?(done: { step: Step; index: number; total: number; sample: Sample; steps: readonly Step[] }): void;
}

// The synchronous client's helper thread opens a database pool lazily; the seeds never query it.
const NO_DATABASE = 'postgres://seeds@127.0.0.1:1/none';
const UPSTREAM_TIMEOUT_MS = 15_000;

/**
 * Runs every step of the plan against a bundled upstream of its own and returns the raw samples.
 * It prints nothing; the CLI and the renderers take it from here.
 */
export async function runSeeds(options: SeedsOptions, command: string, hooks: SeedsHooks = {}): Promise<SeedsResults> {
  const startedAt = new Date().toISOString();
  const steps = planSteps(options);
  const needsUpstream = steps.some((s) => EXPERIMENTS.find((e) => e.id === s.experiment)?.kind === 'io');
  let upstream: ManagedChild | undefined;
  let clients: FormClients = { upstreamUrl: undefined, syncIo: undefined, client: undefined };
  try {
    if (needsUpstream) {
      upstream = await startUpstream(0, '127.0.0.1');
      clients = {
        upstreamUrl: upstream.url,
        syncIo: createSyncIo(NO_DATABASE, upstream.url, UPSTREAM_TIMEOUT_MS),
        client: createPageClient(upstream.url, UPSTREAM_TIMEOUT_MS),
      };
      // One call each before any timing: the synchronous client's helper thread boots on its first call,
      // an artefact of building a blocking client in Node that Python's requests does not pay.
      clients.syncIo?.getUpstream('/delay/0');
      await clients.client?.get('/delay/0');
    }
    const experiments = new Map<string, ExperimentResult>();
    const sweep: SweepPoint[] = [];
    for (const [index, step] of steps.entries()) {
      const sample = await runForm(step.form, step.items(), step.sizes, clients);
      file(step, sample, experiments, sweep, options.scale);
      hooks.onStep?.({ step, index, total: steps.length, sample, steps });
    }
    const sweepExperiment = EXPERIMENTS.find((e) => e.id === SWEEP_EXPERIMENT) as IoExperiment;
    return {
      command,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: machine(),
      options,
      experiments: [...experiments.values()],
      ...(sweep.length
        ? {
            sweep: {
              experiment: SWEEP_EXPERIMENT,
              latencyMs: scaledLatency(sweepExperiment.sites[0]?.latencyMs ?? 0, options.scale),
              points: sweep,
            },
          }
        : {}),
    };
  } finally {
    // Reverse order of creation: the clients, then the upstream they talk to.
    clients.client?.close();
    await clients.syncIo?.close();
    await upstream?.stop();
  }
}

function file(
  step: Step,
  sample: Sample,
  experiments: Map<string, ExperimentResult>,
  sweep: SweepPoint[],
  scale: number,
): void {
  if (step.sweepSize !== undefined) {
    const form = step.form as SweepPoint['form'];
    let point = sweep.find((p) => p.form === form && p.size === step.sweepSize);
    if (!point) sweep.push((point = { form, size: step.sweepSize, samples: [] }));
    point.samples.push(sample);
    return;
  }
  let result = experiments.get(step.experiment);
  if (!result) {
    const experiment = EXPERIMENTS.find((e) => e.id === step.experiment);
    result = {
      id: step.experiment,
      kind: experiment?.kind ?? 'io',
      ...(experiment?.kind === 'io'
        ? { latenciesMs: experiment.sites.map((s) => scaledLatency(s.latencyMs, scale)) }
        : {}),
      forms: [],
    };
    experiments.set(step.experiment, result);
  }
  let form = result.forms.find((f) => f.form === step.form);
  if (!form) {
    const size =
      step.form === 'thread-pool'
        ? step.sizes.threads
        : step.form === 'process-pool'
          ? step.sizes.processes
          : step.form === 'bounded'
            ? step.sizes.limit
            : undefined;
    form = { form: step.form, ...(size === undefined ? {} : { size }), samples: [] };
    result.forms.push(form);
  }
  form.samples.push(sample);
}

function machine(): SeedsResults['machine'] {
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    commit = undefined; // not a git checkout: the report says nothing of a commit
  }
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    ...(commit ? { commit } : {}),
  };
}
