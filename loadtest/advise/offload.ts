/**
 * What offloading one call costs (hop.ts measures it): the server's CPU per request through a one-thread
 * pool, against the same work run inline on the event loop (async, else blocking), both one request in
 * flight on the same server. The difference is what the hop costs in CPU — posting the task,
 * structured-cloning its parameters and result both ways, waking the thread — paid on every call whatever
 * the work. (`npm run bench` measures the bare hop for a fixed tiny task in one process; this is the same
 * quantity for this workload, through HTTP.)
 */
import type { HopMeasurement } from './hop.ts';

export interface OffloadCost {
  /** CPU per call run inline, µs: the work and the HTTP handling around it. */
  inlineUs: number;
  /**
   * The work the hop moves off the event loop, µs: the server-reported time of the function itself
   * (no HTTP handling), but no more than the inline CPU per call — a function that waits (a query, a
   * fetch) holds the loop's CPU only for its own steps, not for the wait.
   */
  workUs: number;
  /** CPU per call through a one-thread pool, µs. */
  offloadedUs: number;
  /** That pool's threads. */
  offloadedWorkers: number;
  /** offloaded − inline: the hop, µs per call. */
  hopUs: number;
  /** The lowest and highest hop of the paired groups, µs: the measurement's own spread. */
  hopRangeUs: { min: number; max: number };
  /**
   * True when the paired groups disagree on the hop's sign (the range holds 0): the hop is lost in this
   * measurement's noise, which is what a hop of some µs beside ms of work looks like. Its figure, possibly
   * below zero, is then no cost to quote.
   */
  hopWithinNoise: boolean;
  /** True when the hop costs at least as much as the work it moves off the loop: offloading costs more than it saves. */
  costsMoreThanItSaves: boolean;
  inlineMode: string;
}

export function offloadCost(m: HopMeasurement): OffloadCost {
  const hopUs = m.offloadedUs - m.inlineUs;
  const workUs = Math.min(m.reportedWorkUs, m.inlineUs);
  const hopRangeUs = { min: Math.min(...m.pairedHopUs), max: Math.max(...m.pairedHopUs) };
  return {
    inlineUs: m.inlineUs,
    workUs,
    offloadedUs: m.offloadedUs,
    offloadedWorkers: 1,
    hopUs,
    hopRangeUs,
    hopWithinNoise: hopRangeUs.min <= 0 && hopRangeUs.max >= 0,
    costsMoreThanItSaves: hopUs >= workUs,
    inlineMode: m.inlineMode,
  };
}
