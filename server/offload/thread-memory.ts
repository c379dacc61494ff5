import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';

/** One worker thread's own memory, as it reports it with each task's outcome. */
export interface ThreadMemory {
  threadId: number;
  /**
   * Its V8 isolate's memory, bytes: the heap's resident pages (`total_physical_size`), V8's own malloc
   * (`malloced_memory`) and the memory outside the heap that objects of this isolate hold
   * (`external_memory`: buffers, the DB pool's and HTTP agent's sockets' data). Not counted: the
   * thread's stack and the native memory it shares with the process (libuv, OpenSSL, code).
   */
  bytes: number;
}

/** Read in the worker thread itself: a few microseconds, once per task. */
export function readThreadMemory(): ThreadMemory {
  const h = getHeapStatistics();
  return { threadId, bytes: h.total_physical_size + h.malloced_memory + h.external_memory };
}

/**
 * The main thread's record of what each worker thread last reported, for `/metrics`: the mean over the
 * threads and the largest, over the threads that reported since the previous read (a quiet thread
 * keeps its last report), so a scrape after a window describes the threads as the window left them.
 */
export class ThreadMemoryRecord {
  private readonly latest = new Map<number, number>();

  note(memory: ThreadMemory | undefined): void {
    if (memory) this.latest.set(memory.threadId, memory.bytes);
  }

  /** Forgets a thread that piscina replaced (it crashed or was cancelled), by its id. */
  forget(threadId: number): void {
    this.latest.delete(threadId);
  }

  summary(): { threads: number; meanBytes: number; maxBytes: number } {
    const values = [...this.latest.values()];
    if (values.length === 0) return { threads: 0, meanBytes: 0, maxBytes: 0 };
    return {
      threads: values.length,
      meanBytes: values.reduce((a, b) => a + b, 0) / values.length,
      maxBytes: Math.max(...values),
    };
  }
}
