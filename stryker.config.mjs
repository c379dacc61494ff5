// @ts-check
/**
 * `npm run test:mutation`: Stryker mutates the pure modules (figures, analysis, thresholds, bounds,
 * parameter parsing, stall attribution) and runs only the unit test files against each mutant
 * (vitest.mutation.config.ts). One test process at a time: the machine is shared. Narrow a run with
 * `npm run test:mutation -- --mutate loadtest/analyse/thresholds.ts`; incremental mode reuses the
 * results of mutants whose code and tests did not change (.data/stryker-incremental.json).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  concurrency: 1,
  incremental: true,
  incrementalFile: '.data/stryker-incremental.json',
  tempDirName: '.data/stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['.data', 'results', '.git'],
  // Module-level constants (static mutants) need every test re-run per mutant, most of the time for
  // little: left out; `--ignore-static false` brings them back.
  ignoreStatic: true,
  mutate: [
    'loadtest/analyse/*.ts',
    'loadtest/advise/rules.ts',
    'loadtest/advise/knee.ts',
    'loadtest/advise/evidence.ts',
    'loadtest/advise/offload.ts',
    'loadtest/measure/latency-histogram.ts',
    'loadtest/measure/merge.ts',
    'loadtest/measure/outcome-log.ts',
    'lib/params.ts',
    'stall-blame/attribute.ts',
    'stall-blame/summary.ts',
  ],
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: '.data/stryker-report/mutation.html' },
  timeoutMS: 10_000,
};
