/**
 * What offloading one call costs, read off the evidence table: the server's CPU per request in worker
 * mode with one thread, against the same work run inline on the event loop (async, else blocking). The
 * difference is what the hop costs in CPU — posting the task, structured-cloning its parameters and
 * result both ways, waking the thread — paid on every call whatever the work. (`npm run bench` measures
 * the bare hop for a fixed tiny task in one process; this is the same quantity for this workload, under load.)
 */
import type { Evidence } from './evidence.ts';

export interface OffloadCost {
  /** CPU per call run inline, µs: the work and the HTTP handling around it. */
  inlineUs: number;
  /**
   * The work alone, µs: the server-reported time of the function itself, on the event loop, with no HTTP
   * handling (the harness's CPU baseline requests, median) where there is one, else the inline CPU per call.
   */
  workUs: number;
  /** CPU per call through the smallest worker pool measured (one thread unless the budget cut it), µs. */
  offloadedUs: number;
  /** That pool's threads. */
  offloadedWorkers: number;
  /** offloaded − inline: the hop, µs per call. */
  hopUs: number;
  /** True when the hop costs at least as much as the work it moves off the loop: offloading costs more than it saves. */
  costsMoreThanItSaves: boolean;
  inlineMode: string;
}

/** From the evidence table (and the work's own time, when known); null without an inline row and a worker row with CPU figures. */
export function offloadCost(table: readonly Evidence[], workMs?: number | null): OffloadCost | null {
  const cpu = (e: Evidence | undefined) => (e?.cpuMsPerRequest == null ? undefined : e.cpuMsPerRequest * 1000);
  const inline = table.find((e) => e.candidate.mode === 'async') ?? table.find((e) => e.candidate.mode === 'blocking');
  const workers = table
    .filter((e) => e.candidate.mode === 'worker' && cpu(e) !== undefined)
    .sort((a, b) => (a.candidate.workers ?? 0) - (b.candidate.workers ?? 0));
  const inlineUs = cpu(inline);
  const offloadedUs = cpu(workers[0]);
  const offloadedWorkers = workers[0]?.candidate.workers ?? 1;
  if (inline === undefined || inlineUs === undefined || offloadedUs === undefined) return null;
  const hopUs = offloadedUs - inlineUs;
  const workUs = workMs == null ? inlineUs : workMs * 1000;
  return {
    inlineUs,
    workUs,
    offloadedUs,
    offloadedWorkers,
    hopUs,
    costsMoreThanItSaves: hopUs >= workUs,
    inlineMode: inline.candidate.mode,
  };
}
