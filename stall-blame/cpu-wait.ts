import { closeSync, openSync, readSync } from 'node:fs';

/**
 * How long this thread has waited for a CPU so far (µs): the run-queue delay Linux keeps per thread in
 * /proc/<pid>/task/<tid>/schedstat (its second field, ns). A stall that is this kind of wait is the machine
 * being busy, not the code being slow. The file stays open and is re-read from offset 0 (≈ 8 µs a read);
 * `read` returns null where the file does not exist (not Linux, or a kernel without schedstat).
 * `/proc/thread-self` is the calling thread's own directory, so a worker thread reads its own wait, not
 * the main thread's (the stall gate profiles every thread).
 */
export function cpuWaitReader(): { read(): number | null; close(): void } {
  let fd: number | null = null;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    fd = null;
  }
  const buffer = Buffer.alloc(96);
  return {
    read() {
      if (fd === null) return null;
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      const waitedNs = Number(buffer.toString('latin1', 0, length).split(' ')[1]);
      return Number.isFinite(waitedNs) ? waitedNs / 1000 : null;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
