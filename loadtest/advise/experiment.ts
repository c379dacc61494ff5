/**
 * Runs the planned experiment (plan.ts) on the server stack: the screen, then interleaved repeats of the
 * best candidates, each run through runMatrix with one candidate (its mode, its pool size), so the
 * measuring, the server restarts and the summaries are the load test's own.
 */
import { summarize } from '../analyse/summarize.ts';
import { runMatrix } from '../matrix.ts';
import type { TargetProvider } from '../stack/stack.ts';
import type { HarnessOptions, Results, RunHooks, RunMeasurement, ScenarioResult } from '../types.ts';
import { type Candidate, candidateLabel, type Evidence } from './evidence.ts';
import { evidenceFrom } from './from-runs.ts';
import { keepServers } from './kept-servers.ts';
import type { ExperimentPlan } from './plan.ts';
import { type RuleOptions, setAside } from './rules.ts';

/** Where the experiment is, before each run. */
export interface AdviseProgress {
  stage: 'screen' | 'repeats';
  /** 1-based run number, and runs in all. */
  run: number;
  runs: number;
  candidate: Candidate;
  /** Runs not yet done (this one included), for the caller's ETA. */
  runsLeft: number;
}

export interface Experiment {
  /** One result per candidate measured, its runs merged: the load test's results, for its reports. */
  results: Results;
  /** The evidence table: the screen's single run for most, the repeats for the finalists. */
  table: Evidence[];
  finalists: Candidate[];
}

/** The best `count` candidates of the screen that the rules could recommend, by throughput. */
function pickFinalists(table: readonly Evidence[], count: number, rules: RuleOptions): Evidence[] {
  return table
    .filter((e) => setAside(e, rules) === null)
    .sort((a, b) => (b.rps[0] ?? 0) - (a.rps[0] ?? 0))
    .slice(0, count);
}

export async function runExperiment(
  base: HarnessOptions,
  plan: ExperimentPlan,
  targets: TargetProvider,
  rules: RuleOptions,
  onProgress: (p: AdviseProgress) => void = () => {},
  hooks: RunHooks = {},
): Promise<Experiment> {
  let first: Results | undefined;
  let done = 0;
  // The screen starts a server per candidate; the repeats keep each finalist's (kept-servers.ts).
  const kept = keepServers(targets);
  const runOnce = async (stage: AdviseProgress['stage'], candidate: Candidate): Promise<ScenarioResult> => {
    onProgress({ stage, run: done + 1, runs: plan.runs, candidate, runsLeft: plan.runs - done });
    const options: HarnessOptions = {
      ...base,
      modes: [candidate.mode],
      workers: candidate.workers === undefined ? [] : [candidate.workers],
      processes: [],
      repeat: 1,
    };
    // Tasks per worker thread is a setting of the server, not of the matrix: its server starts with it.
    const servers = stage === 'repeats' ? kept.provider : targets;
    const concurrency = candidate.concurrency;
    const provider: TargetProvider =
      concurrency === undefined
        ? servers
        : { start: (w, p, q) => servers.start(w, p, q, concurrency), close: () => servers.close() };
    // The CPU baseline is the first run's (measured before and after it): every later run would measure
    // the same single-thread cost again, seconds a run that no rule of advice reads.
    const results = await runMatrix(options, provider, () => {}, hooks);
    first ??= results;
    done++;
    const result = results.scenarios[0];
    if (!result) throw new Error(`the server ran no scenario for ${candidateLabel(candidate)}`);
    return concurrency === undefined
      ? result
      : { ...result, scenario: { ...result.scenario, workerConcurrency: concurrency } };
  };

  const screened = new Map<Candidate, ScenarioResult>();
  for (const candidate of plan.screen) screened.set(candidate, await runOnce('screen', candidate));
  const screenTable = plan.screen.map((c) => evidenceFrom(c, (screened.get(c) as ScenarioResult).runs));
  const finalists = pickFinalists(screenTable, plan.finalists, rules).map((e) => e.candidate);

  // Interleaved: each round runs every finalist once, starting one later each round, so a slow spell of
  // the machine falls on all of them alike rather than on whichever ran during it.
  const repeats = new Map<Candidate, RunMeasurement[]>(finalists.map((c) => [c, []]));
  try {
    for (let round = 0; round < plan.repeats; round++) {
      for (let i = 0; i < finalists.length; i++) {
        const candidate = finalists[(i + round) % finalists.length] as Candidate;
        repeats.get(candidate)?.push(...(await runOnce('repeats', candidate)).runs);
      }
    }
  } finally {
    await kept.stopAll();
  }

  const discovered = base.discovered?.[base.workloads[0] ?? ''];
  const scenarios = plan.screen.map((c) => {
    const screen = screened.get(c) as ScenarioResult;
    const again = repeats.get(c);
    if (!again) return screen;
    const facts = first?.environment.server ?? null;
    return summarize(screen.scenario, again, discovered?.bound ?? null, facts, first?.cpuBaseline ?? {});
  });
  const table = plan.screen.map((c, i) => evidenceFrom(c, (scenarios[i] as ScenarioResult).runs));
  const head = first as Results;
  return {
    results: { ...head, options: base, scenarios, finishedAt: new Date().toISOString() },
    table,
    finalists,
  };
}
