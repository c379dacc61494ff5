import { readFile } from 'node:fs/promises';
import { Gauge, type Registry } from 'prom-client';

/**
 * A process's resident memory, bytes, from Linux's `/proc/<pid>/status` (`VmRSS`, in kB: the same
 * figure `process.memoryUsage.rss()` gives inside the process); undefined elsewhere or once it exited.
 */
export async function residentBytesOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * `looplab_queue_worker_resident_memory_bytes{pid}`: the resident memory of each queue worker process
 * this server started (QUEUE_WORKERS), read at each scrape. Workers started elsewhere (`npm run worker`
 * on another machine) are not this server's to see.
 */
export function registerQueueWorkerMemory(registry: Registry, pids: () => readonly number[]): void {
  new Gauge({
    name: 'looplab_queue_worker_resident_memory_bytes',
    help: 'Resident memory of each queue worker process this server started, from /proc (Linux), at the scrape.',
    labelNames: ['pid'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = pids();
      const bytes = await Promise.all(now.map(residentBytesOf));
      now.forEach((pid, i) => {
        const b = bytes[i];
        if (b !== undefined) this.set({ pid: String(pid) }, b);
      });
    },
  });
}
