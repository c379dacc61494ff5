import { performance } from 'node:perf_hooks';
import type { SyncIo } from '../server/offload/sync-io.ts';
import { boundedAll } from './bounded.ts';
import { runCpuTask } from './cpu-tasks.ts';
import type { NodeForm } from './forms.ts';
import type { PageClient } from './page-client.ts';
import type { BatchItem } from './pool-work.ts';
import { startProcessPool } from './process-pool.ts';
import { type ItemPool, startThreadPool } from './thread-pool.ts';

/** The clients the main thread's forms share across a run: made once, like the texts' one Session. */
export interface FormClients {
  upstreamUrl: string | undefined;
  /** The genuinely synchronous client of server/offload/sync-io.ts (helper thread + Atomics.wait). */
  syncIo: SyncIo | undefined;
  client: PageClient | undefined;
}

export interface FormSizes {
  /** In-flight limit of `bounded`. */
  limit: number;
  threads: number;
  processes: number;
}

/** One timed run of a batch: pool start-up (0 without a pool) and the batch itself, in ms. */
export interface Sample {
  startMs: number;
  batchMs: number;
}

/** Runs the whole batch once in one form and times it; the pool, if any, is made and closed here. */
export async function runForm(
  form: NodeForm,
  items: readonly BatchItem[],
  sizes: FormSizes,
  clients: FormClients,
): Promise<Sample> {
  if (form === 'thread-pool' || form === 'process-pool') {
    const t0 = performance.now();
    const pool: ItemPool =
      form === 'thread-pool'
        ? await startThreadPool(sizes.threads, clients.upstreamUrl)
        : await startProcessPool(sizes.processes, clients.upstreamUrl);
    const t1 = performance.now();
    try {
      await pool.map(items);
      return { startMs: t1 - t0, batchMs: performance.now() - t1 };
    } finally {
      await pool.close();
    }
  }
  const t0 = performance.now();
  await runOnMainThread(form, items, sizes, clients);
  return { startMs: 0, batchMs: performance.now() - t0 };
}

async function runOnMainThread(
  form: NodeForm,
  items: readonly BatchItem[],
  sizes: FormSizes,
  clients: FormClients,
): Promise<void> {
  const one = async (item: BatchItem): Promise<number> => {
    if (item.kind === 'cpu') return runCpuTask(item.task);
    if (!clients.client) throw new Error('an I/O batch needs an upstream client');
    return clients.client.get(item.path);
  };
  switch (form) {
    case 'sync-client': {
      const { syncIo } = clients;
      if (!syncIo) throw new Error('the sync-client form needs the synchronous client');
      for (const item of items) {
        if (item.kind === 'io') syncIo.getUpstream(item.path);
        else runCpuTask(item.task);
      }
      return;
    }
    case 'sequential':
      for (const item of items) {
        if (item.kind !== 'cpu') throw new Error('the plain sequential loop is for CPU batches; I/O uses sync-client');
        runCpuTask(item.task);
      }
      return;
    case 'sequential-await':
      for (const item of items) await one(item);
      return;
    case 'promise-all':
      await Promise.all(items.map(one));
      return;
    case 'bounded':
      await boundedAll(items, sizes.limit, one);
      return;
    default:
      throw new Error(`${form} does not run on the main thread`);
  }
}
