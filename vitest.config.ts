import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `import … from 'looplab'` in a test is the TypeScript source (package.json's `looplab-source`
  // condition), not the compiled dist/ that the package ships.
  resolve: { conditions: ['looplab-source'] },
  ssr: { resolve: { conditions: ['looplab-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One file at a time: several tests measure whether the event loop is blocked, and on a 2-core
    // machine another file's worker pool would blur that.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
