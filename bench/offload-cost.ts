import { randomInt } from 'node:crypto';
import { createWorldStore, WORLD_ROWS } from '../server/clients/world-store.ts';
import { createSyncIo } from '../server/offload/sync-io.ts';
import { createWorkerPool } from '../server/offload/worker-pool.ts';
import { hashWorkload } from '../server/workloads/hash.ts';
import { interleavedMicros, microsPerCallPipelined, round1 } from './per-call.ts';
import { createSynckitFindWorld } from './synckit/bridge.ts';

/** Per-task cost of looplab's two offload mechanisms, in µs (wall time on this machine). */
export interface OffloadCosts {
  tasks: number;
  workerPool: {
    /** `hash` with sha256 × 1 round on the event-loop thread: the work itself. */
    blockingUs: number;
    /** The same task through the piscina pool (1 thread), awaited one at a time: a full round trip. */
    workerRoundTripUs: number;
    /** The same, with an AbortSignal per task as every looplab request carries. */
    workerRoundTripWithSignalUs: number;
    /** Many tasks in flight on 1 thread: the per-task cost when the hop is pipelined. */
    workerPipelinedUs: number;
    /** Round trip minus the work: what offloading one task costs. */
    overheadUs: number;
  };
  syncBridge: {
    /** `findWorld` through the Atomics.wait bridge (helper thread, one connection). */
    bridgedQueryUs: number;
    /** The same query through synckit's createSyncFn (same Atomics.wait technique, library-made). */
    synckitQueryUs: number;
    /** The same query awaited directly on a one-connection postgres.js pool. */
    directQueryUs: number;
    overheadUs: number;
    synckitOverheadUs: number;
  };
}

export interface OffloadCostOptions {
  databaseUrl: string;
  upstreamUrl: string;
  tasks: number;
}

const TINY_HASH = { algo: 'sha256', cost: 1 } as const;
const randomId = () => randomInt(1, WORLD_ROWS + 1);

async function workerPoolCosts(
  options: OffloadCostOptions,
  syncIo: ReturnType<typeof createSyncIo>,
): Promise<OffloadCosts['workerPool']> {
  const pool = createWorkerPool({
    threads: 1,
    maxQueue: options.tasks,
    databaseUrl: options.databaseUrl,
    upstreamUrl: options.upstreamUrl,
    dbPoolSize: 1,
    upstreamTimeoutMs: 15_000,
  });
  try {
    await pool.ping();
    const us = await interleavedMicros(
      {
        blocking: () => hashWorkload.blocking(TINY_HASH, syncIo),
        worker: () => pool.run('hash', TINY_HASH),
        workerWithSignal: () => pool.run('hash', TINY_HASH, new AbortController().signal),
      },
      options.tasks,
    );
    const workerPipelinedUs = await microsPerCallPipelined(options.tasks, 16, () => pool.run('hash', TINY_HASH));
    return {
      blockingUs: us.blocking,
      workerRoundTripUs: us.worker,
      workerRoundTripWithSignalUs: us.workerWithSignal,
      workerPipelinedUs,
      overheadUs: round1(us.worker - us.blocking),
    };
  } finally {
    await pool.close();
  }
}

async function syncBridgeCosts(
  options: OffloadCostOptions,
  syncIo: ReturnType<typeof createSyncIo>,
): Promise<OffloadCosts['syncBridge']> {
  const store = createWorldStore(options.databaseUrl, 1);
  try {
    const synckitFindWorld = createSynckitFindWorld(options.databaseUrl);
    const us = await interleavedMicros(
      {
        bridged: () => syncIo.findWorld(randomId(), 0),
        synckit: () => synckitFindWorld(randomId()),
        direct: () => store.findWorld(randomId(), 0),
      },
      options.tasks,
    );
    return {
      bridgedQueryUs: us.bridged,
      synckitQueryUs: us.synckit,
      directQueryUs: us.direct,
      overheadUs: round1(us.bridged - us.direct),
      synckitOverheadUs: round1(us.synckit - us.direct),
    };
  } finally {
    await store.close();
  }
}

/** Measures both offload paths in this process, one call at a time, against the bench's database. */
export async function measureOffloadCosts(options: OffloadCostOptions): Promise<OffloadCosts> {
  const syncIo = createSyncIo(options.databaseUrl, options.upstreamUrl, 15_000);
  try {
    return {
      tasks: options.tasks,
      workerPool: await workerPoolCosts(options, syncIo),
      syncBridge: await syncBridgeCosts(options, syncIo),
    };
  } finally {
    await syncIo.close();
  }
}
