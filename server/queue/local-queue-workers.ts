import { startChild, type ManagedChild } from '../../lib/child-process.ts';
import { siblingFile } from '../../lib/loader-args.ts';

/** How long a dead queue worker's slot stays empty before another is started (no crash loop at full speed). */
const RESTART_DELAY_MS = 1_000;

export interface LocalWorkers {
  /** Pids of the worker processes running now. */
  readonly pids: number[];
  /** Stops every worker (each finishes its running jobs first) and starts no more. */
  stop(): Promise<void>;
}

/**
 * Starts `count` queue worker processes (`npm run worker`, as child processes of the server) in the
 * background and keeps that many running: one that dies — killed, or crashed by a job — or fails to
 * start is replaced after a second, and BullMQ's stalled-job check puts the job it held back in the
 * queue. The server does not wait for them to listen: jobs wait in the queue until a worker takes
 * them, as they would for remote workers. `env` carries the addresses the server resolved (the
 * embedded database, the bundled upstream).
 */
export function superviseLocalWorkers(count: number, env: Record<string, string>): LocalWorkers {
  const entry = siblingFile(import.meta.url, './queue-worker-main.ts');
  const slots: Array<ManagedChild | undefined> = [];
  const starting = new Set<Promise<void>>();
  let stopping = false;

  const retryLater = (slot: number) => setTimeout(() => start(slot), RESTART_DELAY_MS).unref();
  const start = (slot: number): void => {
    if (stopping) return;
    const started = startChild(entry, 'queue worker', env, { quiet: true }).then(
      async (child) => {
        if (stopping) return child.stop(); // came up while the server stopped
        slots[slot] = child;
        void child.exited.then(() => {
          slots[slot] = undefined;
          if (stopping) return;
          console.error(`looplab: queue worker ${child.pid} exited; starting another in ${RESTART_DELAY_MS} ms`);
          retryLater(slot);
        });
      },
      (err: unknown) => {
        console.error(
          `looplab: a queue worker did not start (${err instanceof Error ? err.message : String(err)}); trying again in ${RESTART_DELAY_MS} ms`,
        );
        retryLater(slot);
      },
    );
    starting.add(started);
    void started.finally(() => starting.delete(started));
  };
  for (let slot = 0; slot < count; slot++) start(slot);

  return {
    get pids() {
      return slots.flatMap((child) => (child ? [child.pid] : []));
    },
    async stop() {
      stopping = true;
      await Promise.all([...starting]);
      await Promise.all(slots.map((child) => child?.stop()));
    },
  };
}
