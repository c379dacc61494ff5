/**
 * `npm run loadtest`: parses the command line, starts (or finds) the server, runs the matrix, prints the
 * table and writes the reports. All measuring and rendering lives in the modules it calls. Human lines
 * go to stderr and only the table (or, with --json, the results) to stdout, so the output can be piped.
 */
import { userDirectory, userPath } from '../lib/user-path.ts';
import { readDependencyUrls } from '../lib/env.ts';
import { fail, npmBannerHint, reportCrashesPlainly } from './cli/cli-io.ts';
import { formatSeconds, planSeconds } from './cli/eta.ts';
import { runExportCommand } from './cli/export-command.ts';
import { runFaultCommand } from './cli/fault-command.ts';
import { runRegressionGate } from './cli/regression-command.ts';
import { discoverPlan, ServerRefusesParamsError } from './stack/discover.ts';
import { EXIT } from './cli/exit-codes.ts';
import { planScenarios, runMatrix } from './matrix.ts';
import type { Progress } from './scenario-loop.ts';
import { planTargetScenarios, runTarget, targetUrls } from './target-run.ts';
import { notLooplabNote, probeNote } from './analyse/target-scenario.ts';
import { OptionsError } from './cli/options-error.ts';
import { type PreparedRun, prepareRun } from './cli/prepare.ts';
import { writeReports } from './report/output.ts';
import { ProgressDisplay } from './cli/progress.ts';
import { failedScenarios, mostlyFailed } from './measure/run-health.ts';
import { startStack, type TargetProvider } from './stack/stack.ts';
import { buildTable, renderTerminal } from './report/table.ts';
import { evaluateThreshold, ThresholdError } from './analyse/thresholds.ts';
import { evaluateDenyStall } from './analyse/deny-stall.ts';
import type { Results } from './types.ts';
import { USAGE } from './cli/usage.ts';
import { DEFAULT_LISTEN_TIMEOUT } from './defaults.ts';
import { startServerCommand } from './server-command/start.ts';

reportCrashesPlainly(Boolean(process.env['LOOPLAB_DEBUG']));
const command = `npm run loadtest${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const say = (text: string) => process.stderr.write(`loadtest: ${text}\n`);

/** The checks before anything starts (prepare.ts); a refusal is one line and exit 2. */
async function prepare(): Promise<PreparedRun> {
  try {
    const prepared = await prepareRun(process.argv.slice(2), process.env);
    if (prepared === 'help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(EXIT.ok);
    }
    return prepared;
  } catch (err) {
    if (err instanceof OptionsError || err instanceof ThresholdError)
      fail(`${err.message}\n(see npm run loadtest -- --help)`, EXIT.usage);
    throw err;
  }
}

const { options: given, thresholds, previous, previousSchema, margins, notes } = await prepare();
for (const note of notes) say(note);
let options = given;
const bannerHint = options.json && !process.stdout.isTTY ? npmBannerHint(process.env) : undefined;
if (bannerHint) say(bannerHint);

if (options.faults) process.exit(await runFaultCommand(options, command, say));

let targets: TargetProvider | undefined;
/** Stops the server command given after `--` (and its children), once it was spawned. */
let stopServerCommand: (() => Promise<void>) | undefined;
const stopStarted = () => Promise.all([targets?.close(), stopServerCommand?.()]);
let progress: ProgressDisplay | undefined;
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(EXIT.interrupted);
  interrupted = true;
  progress?.stop();
  say('interrupted, stopping what was started…');
  void stopStarted().finally(() => process.exit(EXIT.interrupted));
});

let results: Results;
try {
  if (options.command) {
    say(
      `starting ${options.command.join(' ')} with ` +
        `${options.blame ? 'the stall-blame preload' : 'a preload that only reports where it listens (--no-blame)'}…`,
    );
    const server = await startServerCommand({
      command: options.command,
      stallThresholdMs: options.stallThresholdMs,
      blame: options.blame,
      listenTimeoutMs: (options.listenTimeout ?? DEFAULT_LISTEN_TIMEOUT) * 1000,
      env: process.env,
      cwd: userDirectory(),
      onSpawn: (stop) => {
        stopServerCommand = stop;
      },
    });
    say(`its server listens at ${server.origin}`);
    options = { ...options, target: `${server.origin}/`, blameUrl: server.blameUrl };
  }
  const target = options.target;
  if (target) {
    say(
      `measuring ${targetUrls({ ...options, target }).join(', ')} — ${notLooplabNote(options)}; ${probeNote(options)}`,
    );
  } else {
    say(
      options.url
        ? `connecting to ${options.url}`
        : 'starting embedded PostgreSQL, upstream and server as separate processes',
    );
    // Like `npm start`: DATABASE_URL / UPSTREAM_URL, when set, are used instead of starting embedded ones.
    targets = await startStack({
      url: options.url,
      ...readDependencyUrls(process.env),
      workloadFiles: options.workloadFiles,
      queue: options.modes.includes('queue') || (options.queueBackends?.length ?? 0) > 0,
      redisUrl: process.env['REDIS_URL'] || undefined,
      note: say,
      stallThresholdMs: options.blame ? options.stallThresholdMs : undefined,
      blameUrl: options.blame ? options.blameUrl : undefined,
    });
    // Which workloads, modes, parameters and bounds the run has is the server's to say (GET /).
    ({ options, targets } = await discoverPlan(targets, options));
    // --export needs the server only for its plan (workloads, modes, defaults): no load is sent.
    if (options.export) {
      const code = await runExportCommand(options, command, say);
      await targets.close();
      process.exit(code);
    }
  }
  const scenarios = target ? planTargetScenarios({ ...options, target }) : planScenarios(options);
  const plan = planSeconds(options, scenarios);
  const runs = scenarios.length * options.repeat;
  say(
    `${scenarios.length} scenario(s)${options.repeat > 1 ? ` × ${options.repeat} runs` : ''}: about ${formatSeconds(plan.expected)}` +
      (plan.worst > plan.expected * 1.1
        ? ` (up to ${formatSeconds(plan.worst)} if the server falls behind the offered rate)`
        : '') +
      ` — ${runs} × (${options.warmup} s warm-up + ${options.duration} s measured + settling)`,
  );
  // --quiet: the plain line a log gets at each run's start, and no other (the interval is setInterval's longest).
  const display = options.flags?.quiet
    ? new ProgressDisplay({ write: (t) => process.stderr.write(t) }, options, scenarios, {
        plainIntervalMs: 2 ** 31 - 1,
      })
    : new ProgressDisplay(process.stderr, options, scenarios);
  progress = display;
  const onProgress = (p: Progress) => display.runStarted(p);
  results = target
    ? await runTarget({ ...options, target }, onProgress, display.hooks)
    : await runMatrix(options, targets ?? fail('no server to load', EXIT.couldNotRun), onProgress, display.hooks);
} catch (err) {
  progress?.stop();
  await stopStarted();
  fail(
    err instanceof Error ? err.message : String(err),
    err instanceof ServerRefusesParamsError ? EXIT.usage : EXIT.couldNotRun,
  );
}
progress?.stop();
if (targets && !options.url) say('stopping the server, upstream and database it started…');
if (stopServerCommand) say(`stopping ${options.command?.join(' ')} and its children…`);
await stopStarted();

const outcomes = [
  ...thresholds.map((t) => evaluateThreshold(t, results)),
  ...(options.denyStalls ?? []).map((pattern) => evaluateDenyStall(pattern, results)),
];
const table = buildTable(results, previous);
if (options.json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  process.stdout.write(`${renderTerminal(table)}\n`);
  if (table.sections.some((s) => s.rows.some((r) => r[0]?.endsWith('*')))) {
    process.stdout.write(
      '\n* the limit may not be the server: the load generator used about a whole core or sent late, or the ' +
        "machine's CPU was ≥ 90% busy (the → line under its table says which)\n",
    );
  }
}
const html = !options.flags?.['no-html'];
const dir = await writeReports(userPath(options.out), results, table, command, outcomes, undefined, html);
process.stderr.write('\n');
say(`reports in ${dir}/ (results.json, report.md${html ? ', report.html' : ''})`);
for (const o of outcomes)
  process.stderr.write(`threshold ${o.passed ? 'passed' : 'FAILED'}: ${o.source} — ${o.detail}\n`);

const failed = failedScenarios(results);
for (const f of failed) say(`warning: ${f.reason}`);
if (mostlyFailed(results, failed)) {
  fail(
    `${failed.length} of ${results.scenarios.length} scenario(s) were answered mostly with errors, so these figures describe failures, not the workloads; ` +
      'check the server (its log, /ready) and the --params',
    EXIT.measuredFailures,
  );
}
const regressionCode =
  previous && margins && options.regression
    ? await runRegressionGate({
        results,
        previous,
        previousSchema: previousSchema ?? results.schema,
        margins,
        settings: options.regression,
        dir,
        stepSummary: process.env['GITHUB_STEP_SUMMARY'] || undefined,
        write: say,
      })
    : EXIT.ok;
process.exit(outcomes.every((o) => o.passed) ? regressionCode : EXIT.thresholdFailed);
