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
 * Starts `count` queue worker processes (`npm run worker`, as child processes of the server) and
 * keeps that many running: one that dies — killed, or crashed by a job — is replaced, and BullMQ's
 * stalled-job check puts the job it held back in the queue. `env` carries the addresses the server
 * resolved (the embedded database, the bundled upstream).
 */
export async function startLocalWorkers(count: number, env: Record<string, string>): Promise<LocalWorkers> {
  const entry = siblingFile(import.meta.url, './worker-main.ts');
  const slots: Array<ManagedChild | undefined> = [];
  let stopping = false;

  const start = async (slot: number): Promise<void> => {
    const child = await startChild(entry, 'queue worker', env, { quiet: true });
    if (stopping) return child.stop(); // a replacement that came up while the server stopped
    slots[slot] = child;
    void child.exited.then(() => {
      if (stopping) return;
      console.error(`looplab: queue worker ${child.pid} exited; starting another in ${RESTART_DELAY_MS} ms`);
      slots[slot] = undefined;
      setTimeout(() => void restart(slot), RESTART_DELAY_MS).unref();
    });
  };
  const restart = async (slot: number): Promise<void> => {
    if (stopping) return;
    await start(slot).catch((err: unknown) => {
      console.error(`looplab: queue worker did not start: ${err instanceof Error ? err.message : String(err)}`);
      setTimeout(() => void restart(slot), RESTART_DELAY_MS).unref();
    });
  };

  const started = await Promise.allSettled(Array.from({ length: count }, (_, slot) => start(slot)));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const stop = async () => {
    stopping = true;
    await Promise.all(slots.map((child) => child?.stop()));
  };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return {
    get pids() {
      return slots.flatMap((child) => (child ? [child.pid] : []));
    },
    stop,
  };
}
