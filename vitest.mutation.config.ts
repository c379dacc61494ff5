import { defineConfig } from 'vitest/config';
import { TIERS } from './test/tiers.ts';

/**
 * The test files Stryker runs against each mutant (`npm run test:mutation`): the `unit` tier only —
 * no PostgreSQL, no server, no child process — so a mutant costs milliseconds, not a stack.
 */
export default defineConfig({
  test: {
    include: [...TIERS.unit],
  },
});
