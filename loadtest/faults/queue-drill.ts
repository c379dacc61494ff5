import { dataPath } from '../../lib/data-dir.ts';
import { loadLocalDatabase } from '../stack/stack.ts';
import { freePort } from '../../lib/free-port.ts';
import type { ManagedChild } from '../../lib/child-process.ts';
import { startUpstream } from '../../upstream/launch.ts';
import type { DrillAnswer, FaultOptions, FaultResults } from './faults.ts';
import { runQueueKillPhase, type QueueKillResult } from './queue-kill.ts';

/**
 * The worker-kill drill alone, on its own embedded PostgreSQL (`.looplab/postgres-faults-queue`, so it
 * can run beside a whole fault run) and upstream: what `runFaultDrill` runs as its last phase.
 */
export async function runQueueKillDrill(
  options: FaultOptions,
  onStep: (text: string) => void = () => {},
  onAnswer: (answer: DrillAnswer) => void = () => {},
): Promise<{ events: FaultResults['events']; queueKill: QueueKillResult }> {
  const children: { pg?: ManagedChild; upstream?: ManagedChild } = {};
  const db = await loadLocalDatabase();
  try {
    children.pg = await db.startEmbeddedPostgres({
      port: await freePort(),
      dataDir: dataPath('postgres-faults-queue'),
    });
    children.upstream = await startUpstream(await freePort(), '127.0.0.1');
    await db.migrate(children.pg.url);
    const events: FaultResults['events'] = [];
    const context = {
      databaseUrl: children.pg.url,
      upstreamUrl: children.upstream.url,
      t0: performance.now(),
      events,
      onStep,
      onAnswer,
    };
    const queueKill = await runQueueKillPhase({ ...context, rate: options.rate, phaseSeconds: options.phaseSeconds });
    return { events, queueKill };
  } finally {
    await children.upstream?.stop();
    await children.pg?.stop();
  }
}
