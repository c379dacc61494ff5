/**
 * `looplab advise` (`npm run advise`): parses the command line, starts the stack, runs the experiment
 * and prints the answer; all measuring, deciding and wording lives in the modules it calls. Human lines
 * go to stderr; the answer (or with --json the results with their `advice`) to stdout.
 */
import { availableParallelism } from 'node:os';
import { readDependencyUrls } from '../../lib/env.ts';
import { checkOutDir, reportCrashesPlainly } from '../cli/cli-io.ts';
import { formatSeconds, remainingSeconds, runSeconds, SERVER_RESTART_SECONDS } from '../cli/eta.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { OptionsError } from '../cli/options-error.ts';
import { writeReports } from '../report/output.ts';
import { leadText, type ReportLead } from '../report/report-lead.ts';
import { buildTable } from '../report/table.ts';
import { discoverPlan, ServerRefusesParamsError } from '../stack/discover.ts';
import { startStack, type TargetProvider } from '../stack/stack.ts';
import { waitUntilReady } from '../stack/wait-for-url.ts';
import { runTarget } from '../target-run.ts';
import type { Results } from '../types.ts';
import { buildAdvice } from './advice.ts';
import { candidateLabel } from './evidence.ts';
import { type AdviseProgress, runExperiment } from './experiment.ts';
import { type AdviseOptions, parseAdviseArgs } from './options.ts';
import { candidatesFor, planExperiment, screenOrder } from './plan.ts';
import { adviceLead, targetLead } from './render.ts';
import { buildTargetAdvice } from './target-advice.ts';
import { type HopMeasurement, measureHop } from './hop.ts';
import { ADVISE_USAGE } from './usage.ts';

reportCrashesPlainly(Boolean(process.env['LOOPLAB_DEBUG']));
const command = `npm run advise${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const say = (text: string) => process.stderr.write(`advise: ${text}\n`);
function fail(message: string, code: number): never {
  say(message);
  process.exit(code);
}
/** Starting the database, upstream and first server (eta.ts counts the same). */
const START_SECONDS = 10;
/** The offload-cost server and its groups of requests (hop.ts), after the runs. */
const HOP_SECONDS = 10;

let parsed: AdviseOptions | 'help';
try {
  parsed = parseAdviseArgs(process.argv.slice(2));
  if (parsed !== 'help') await checkOutDir(parsed.harness.out);
} catch (err) {
  if (err instanceof OptionsError) fail(`${err.message} (npm run advise -- --help)`, EXIT.usage);
  throw err;
}
if (parsed === 'help') {
  process.stdout.write(`${ADVISE_USAGE}\n`);
  process.exit(EXIT.ok);
}
const { harness, budgetSeconds, repeats, memoryBudgetMb } = parsed;
const cores = availableParallelism();

/** Prints the answer, writes the reports with it (results.json's `advice`, the lead of report.md and report.html), and exits. */
async function finish(results: Results, advice: { paragraph: string }, lead: ReportLead): Promise<never> {
  const withAdvice = { ...results, advice };
  process.stdout.write(harness.json ? `${JSON.stringify(withAdvice, null, 2)}\n` : `${leadText(lead)}\n`);
  const dir = await writeReports(harness.out, withAdvice, buildTable(results), command, [], lead);
  say(`reports in ${dir}/ (results.json with its "advice", report.md, report.html)`);
  process.exit(EXIT.ok);
}

if (harness.target) {
  const target = harness.target;
  say(`sweeping ${harness.connections.join(', ')} requests in flight against ${target}`);
  const results = await runTarget({ ...harness, target }, (p) =>
    say(`[${p.index}/${p.total}] ${p.scenario.connections} in flight — about ${formatSeconds(p.secondsLeft)} left`),
  ).catch((err: Error) => fail(err.message, EXIT.couldNotRun));
  const advice = buildTargetAdvice(target, results);
  if (!advice) fail('the sweep needs two levels or more (--connections)', EXIT.usage);
  await finish(results, advice, targetLead(advice));
}

/** The offload hop, on a server of its own with a one-thread pool (hop.ts), after the runs. */
async function measureOffload(
  provider: TargetProvider,
  workload: string,
  params: Record<string, string>,
  modes: readonly string[],
): Promise<HopMeasurement | null> {
  const inlineMode = modes.includes('async') ? 'async' : modes.includes('blocking') ? 'blocking' : undefined;
  if (!inlineMode) return null;
  say(`measuring the offload cost per call (${inlineMode} against worker ×1, one request at a time)`);
  const target = await provider.start(1);
  try {
    await waitUntilReady(target.origin);
    return await measureHop(target.origin, workload, params, inlineMode);
  } finally {
    await target.stop();
  }
}

let targets: TargetProvider | undefined;
process.on('SIGINT', () => {
  say('interrupted, stopping what was started…');
  void (targets?.close() ?? Promise.resolve()).finally(() => process.exit(EXIT.interrupted));
});
try {
  say('starting embedded PostgreSQL, upstream and server as separate processes');
  targets = await startStack({
    ...readDependencyUrls(process.env),
    workloadFiles: harness.workloadFiles,
    queue: harness.modes.includes('queue'),
    note: say,
  });
  const discovered = await discoverPlan(targets, { ...harness, blame: false });
  const options = discovered.options;
  targets = discovered.targets;
  const [workload, ...more] = options.workloads;
  if (!workload || more.length > 0)
    throw new OptionsError(
      `advise takes one workload; name it with --workloads (these are loaded: ${options.workloads.join(', ')})`,
    );
  const modes = options.discovered?.[workload]?.modes.filter((m) => options.modes.includes(m)) ?? [];
  const perRun = runSeconds(options, { rate: undefined }).expected + SERVER_RESTART_SECONDS;
  const candidates = candidatesFor(modes, {
    cores,
    waitType: options.discovered?.[workload]?.bound?.kind === 'wait',
    connections: options.connections[0],
  });
  const plan = planExperiment(screenOrder(candidates, cores), {
    budgetSeconds,
    runSeconds: perRun,
    startSeconds: START_SECONDS + (modes.includes('worker') ? HOP_SECONDS : 0),
    repeats,
  });
  say(
    `${workload} on ${cores} cores: screening ${plan.screen.map(candidateLabel).join(', ')}, then ${plan.finalists} × ${plan.repeats} interleaved repeats — ${plan.runs} runs, about ${formatSeconds(plan.expectedSeconds)}` +
      (plan.cut.length > 0 ? `; cut for --budget ${budgetSeconds}: ${plan.cut.map(candidateLabel).join(', ')}` : ''),
  );
  const startedAt = Date.now();
  const onProgress = (p: AdviseProgress) => {
    const doneRuns = p.run - 1;
    const left = remainingSeconds(p.runsLeft * perRun, doneRuns * perRun, (Date.now() - startedAt) / 1000);
    say(`[${p.run}/${p.runs}] ${p.stage} ${candidateLabel(p.candidate)} — about ${formatSeconds(left)} left`);
  };
  const rules = { memoryBudgetMb };
  const experiment = await runExperiment(options, plan, targets, rules, onProgress);
  const hop = modes.includes('worker')
    ? await measureOffload(targets, workload, options.params[workload] ?? {}, modes)
    : null;
  await targets.close();
  targets = undefined;
  const advice = buildAdvice(workload, experiment.table, {
    cores,
    generatorSharesCores: true,
    cut: plan.cut,
    rules,
    hop,
  });
  await finish(experiment.results, advice, adviceLead(advice));
} catch (err) {
  await targets?.close();
  if (err instanceof OptionsError || err instanceof ServerRefusesParamsError) fail(err.message, EXIT.usage);
  fail(err instanceof Error ? err.message : String(err), EXIT.couldNotRun);
}
