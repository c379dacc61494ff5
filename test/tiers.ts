/**
 * Which tier each test file runs in (vitest.config.ts makes one vitest project of each). Every file is
 * in exactly one tier: test/tiers.test.ts fails when one is left out or listed twice.
 *
 * - `unit`: pure functions and fixtures, no processes and no database; files run side by side.
 * - `core`: real processes and the run's PostgreSQL, timing-sensitive, one file at a time. With `unit`
 *   it is `npm test`, so it keeps a witness of each thing the product must do: a SIGTERM drain under
 *   load (shutdown), queue mode end to end on one backend (queue-harness), a real load-test run
 *   (cli-url), stall blame down to a line (stall-blame), a cluster start (cluster), and a start as root
 *   from a 0700 directory (root-start).
 * - `e2e`: the heavy stacks — the queue on both backends, the signals matrix, the fault runs, the
 *   harness end to end, cluster shutdown and blame, the browser — one file at a time, in `npm run test:all`.
 */
export const TIERS = {
  unit: [
    'test/cluster-budget.test.ts',
    'test/config.test.ts',
    'test/graceful-close.test.ts',
    'test/stall-blame-attribute.test.ts',
    'test/stall-blame-window.test.ts',
    'test/tiers.test.ts',
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
  ],
  core: [
    'test/blocking.test.ts',
    'test/child-process.test.ts',
    'test/clean-data.test.ts',
    'test/cluster.test.ts',
    'test/concurrency.test.ts',
    'test/connections.test.ts',
    'test/db-restart.test.ts',
    'test/db-template.test.ts',
    'test/hangup.test.ts',
    'test/hostile-input.test.ts',
    'test/keepalive-blocked.test.ts',
    'test/lifecycle.test.ts',
    'test/logging.test.ts',
    'test/ops.test.ts',
    'test/orphans.test.ts',
    'test/overload.test.ts',
    'test/postgres-patch.test.ts',
    'test/reliability.test.ts',
    'test/root-start.test.ts',
    'test/shutdown.test.ts',
    'test/stall-blame.test.ts',
    'test/startup-errors.test.ts',
    'test/validation.test.ts',
    'test/worker-concurrency.test.ts',
    'test/workload-files.test.ts',
    'test/workloads.test.ts',
    'test/loadtest/cli-refusals.test.ts',
    'test/loadtest/cli-url.test.ts',
    'test/loadtest/discover.test.ts',
    'test/loadtest/generators.test.ts',
    'test/loadtest/library-imports.test.ts',
    'test/loadtest/library.test.ts',
    'test/loadtest/loop-delay.test.ts',
    'test/loadtest/measurement.test.ts',
    'test/loadtest/open-model.test.ts',
    'test/loadtest/queue-harness.test.ts',
    'test/loadtest/readme-paths.test.ts',
  ],
  e2e: [
    'test/bench.test.ts',
    'test/byow-readme.test.ts',
    'test/cluster-shutdown.test.ts',
    'test/queue.test.ts',
    'test/redis-server.test.ts',
    'test/signals.test.ts',
    'test/workload-own.test.ts',
    'test/loadtest/blame-harness.test.ts',
    'test/loadtest/cli-target.test.ts',
    'test/loadtest/cluster-blame.test.ts',
    'test/loadtest/export-k6.test.ts',
    'test/loadtest/faults-queue.test.ts',
    'test/loadtest/faults.test.ts',
    'test/loadtest/harness.test.ts',
    'test/loadtest/queue-report-browser.test.ts',
    'test/loadtest/report-browser.test.ts',
    'test/loadtest/targets.test.ts',
  ],
} as const;

export type TierName = keyof typeof TIERS;
