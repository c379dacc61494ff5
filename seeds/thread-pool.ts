import { Piscina } from 'piscina';
import { siblingFile } from '../lib/loader-args.ts';
import { type BatchItem, chunksFor } from './pool-work.ts';
import type { ThreadSettings, ThreadTask } from './thread-protocol.ts';

/** A started pool of `size` worker threads, each running one task at a time. */
export interface ItemPool {
  /** Runs every item; CPU items travel in Pool.map-sized chunks, I/O items one at a time. */
  map(items: readonly BatchItem[]): Promise<number>;
  close(): Promise<void>;
}

/** Starts the threads and resolves once every one has loaded its code and made its client. */
export async function startThreadPool(size: number, upstreamUrl: string | undefined): Promise<ItemPool> {
  const settings: ThreadSettings = upstreamUrl ? { upstreamUrl } : {};
  const piscina = new Piscina<ThreadTask, number>({
    filename: siblingFile(import.meta.url, './thread-boot.cjs').href,
    minThreads: size,
    maxThreads: size,
    concurrentTasksPerWorker: 1,
    // The threads hold HTTP clients with sockets and timers: let their event loops run between tasks.
    atomics: 'disabled',
    idleTimeout: 60_000,
    workerData: settings,
  });
  const counter = new SharedArrayBuffer(4);
  try {
    await Promise.all(Array.from({ length: size }, () => piscina.run({ kind: 'barrier', counter, parties: size })));
  } catch (err) {
    await piscina.destroy();
    throw err;
  }
  return {
    async map(items) {
      const chunks = items[0]?.kind === 'cpu' ? chunksFor(items, size) : items.map((item) => [item]);
      const totals = await Promise.all(chunks.map((chunk) => piscina.run({ kind: 'chunk', items: chunk })));
      return totals.reduce((a, b) => a + b, 0);
    },
    close: () => piscina.destroy(),
  };
}
