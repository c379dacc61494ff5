import { type CpuTask, runCpuTask } from './cpu-tasks.ts';
import { createPageClient, type PageClient } from './page-client.ts';

/** One item of a batch: an upstream path to GET, or a CPU task. */
export type BatchItem = { kind: 'io'; path: string } | { kind: 'cpu'; task: CpuTask };

/**
 * What one pool member (thread or process) owns: its own HTTP client, made once when it starts — the
 * texts' per-thread Session and `initializer=` — and the code that runs a chunk of items, one at a time.
 */
export function createPoolMember(upstreamUrl: string | undefined): {
  runChunk(items: readonly BatchItem[]): Promise<number>;
  close(): Promise<void>;
} {
  let client: PageClient | undefined = upstreamUrl ? createPageClient(upstreamUrl) : undefined;
  return {
    /** Returns the bytes fetched or the sum of the CPU results: something the work cannot skip. */
    async runChunk(items) {
      let total = 0;
      for (const item of items) {
        if (item.kind === 'cpu') {
          total += runCpuTask(item.task);
          continue;
        }
        if (!client) throw new Error('this pool member was started without an upstream URL');
        total += await client.get(item.path);
      }
      return total;
    },
    async close() {
      client?.close();
      client = undefined;
    },
  };
}

/** Splits items into chunks the way Python's Pool.map sizes them: ceil(items / (4 × pool size)). */
export function chunksFor<T>(items: readonly T[], poolSize: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / (4 * poolSize)));
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
