import { afterAll, beforeAll, it } from 'vitest';
import { neverFailsAWellBehavedClient, WORK } from './helpers/hang-ups.ts';
import { memoryLogger } from './helpers/memory-logger.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Clients that hang up beside well-behaved ones, in blocking mode: nothing is cancelled (the work runs
 * to its end and its answer goes to a closed socket), and each abandoned request holds the event loop
 * for its whole work, so these cases are the slowest of hangup.test.ts's matrix and run in e2e. The
 * async and worker modes, where a hang-up cancels work, are hangup.test.ts's, in the fast tier.
 */
let app: TestApp;
const { logger, lines } = memoryLogger();
beforeAll(async () => {
  app = await startTestApp({ dbPool: 2, workers: 2, workerDbPool: 2, logger });
});
afterAll(() => app.close());

it.each(Object.keys(WORK))(
  'never fails a well-behaved client: %s/blocking',
  (workload) => neverFailsAWellBehavedClient(app, lines, workload, 'blocking'),
  30_000,
);
