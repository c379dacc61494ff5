import { defineConfig } from 'vitest/config';

/**
 * The test files Stryker runs against each mutant (`npm run test:mutation`): pure unit files only —
 * no global PostgreSQL, no server, no child process — so a mutant costs milliseconds, not a stack.
 * When the suite's `unit` tier lands, this list is that tier's.
 */
export const MUTATION_TEST_FILES = [
  'test/loadtest/blame-merge.test.ts',
  'test/loadtest/blame-report.test.ts',
  'test/loadtest/bounds.test.ts',
  'test/loadtest/cluster-metrics.test.ts',
  'test/loadtest/eta.test.ts',
  'test/loadtest/figures.test.ts',
  'test/loadtest/merge.test.ts',
  'test/loadtest/options.test.ts',
  'test/loadtest/progress.test.ts',
  'test/loadtest/queue-figures.test.ts',
  'test/loadtest/report.test.ts',
  'test/loadtest/run-health.test.ts',
  'test/loadtest/thresholds.test.ts',
  'test/stall-blame-attribute.test.ts',
  'test/stall-blame-window.test.ts',
  'test/config.test.ts',
  'test/unit/**/*.test.ts',
];

export default defineConfig({
  test: {
    include: MUTATION_TEST_FILES,
  },
});
