import { defineConfig } from 'vitest/config';
import { TIERS } from './test/tiers.ts';

/** Settings every tier shares. The projects do not extend the root, so the global setup runs once, there. */
const shared = { testTimeout: 30_000, hookTimeout: 120_000 };

/**
 * `import … from 'looplab'` in a test is the TypeScript source (package.json's `looplab-source`
 * condition), not the compiled dist/ that the package ships. Each project resolves for itself.
 */
const fromSource = {
  resolve: { conditions: ['looplab-source'] },
  ssr: { resolve: { conditions: ['looplab-source'] } },
};

export default defineConfig({
  test: {
    // One real PostgreSQL and upstream for the run; skipped when only `unit` runs (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        ...fromSource,
        test: {
          ...shared,
          name: 'unit',
          include: [...TIERS.unit],
          fileParallelism: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        ...fromSource,
        test: {
          ...shared,
          name: 'core',
          include: [...TIERS.core],
          // One file at a time: several tests measure whether the event loop is blocked, and on a 2-core
          // machine another file's worker pool would blur that. After `unit`, never beside it.
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        ...fromSource,
        test: {
          ...shared,
          name: 'e2e',
          include: [...TIERS.e2e],
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
