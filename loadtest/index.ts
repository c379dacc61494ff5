/**
 * looplab's load harness as a library: `npm run loadtest` (loadtest/cli.ts) is a thin command line over
 * these. Measuring returns data; rendering is a separate step.
 *
 *   const stack = await startStack();
 *   const results = await runMatrix({ ...DEFAULT_OPTIONS, workloads: ['hash'], duration: 5 }, stack);
 *   await stack.close();
 *   console.log(renderReport(results, 'terminal'));
 */
export { DEFAULT_OPTIONS, OPTION_LIMITS } from './defaults.ts';
export { planScenarios, runMatrix } from './matrix.ts';
export type { Progress } from './scenario-loop.ts';
export { planTargetScenarios, runTarget } from './target-run.ts';
export { runFaultDrill, type FaultOptions, type FaultResults } from './faults/faults.ts';
export { startStack, type StackOptions, type Target, type TargetProvider } from './stack/stack.ts';
export { discover, discoverPlan, ServerRefusesParamsError } from './stack/discover.ts';
export { renderReport, type RenderOptions, type ReportFormat } from './report/render.ts';
export { exportK6 } from './export/export-k6.ts';
export { evaluateThreshold, parseThreshold, type Threshold, type ThresholdOutcome } from './analyse/thresholds.ts';
export type {
  RunHooks,
  DiscoveredWorkload,
  HarnessOptions,
  Results,
  RunMeasurement,
  Scenario,
  ScenarioResult,
} from './types.ts';
export { blameClient, type BlameClient, type RunBlame, type ProcessBlame } from './measure/blame-window.ts';
export { openBlameWindow } from './measure/cluster-blame-window.ts';
