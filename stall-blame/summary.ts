import { addTo, type Stall, type Tallies } from './attribute.ts';

/** Stalls added up: how many, how long, and their culprits' time. */
export interface StallSummary {
  count: number;
  totalUs: number;
  longestUs: number;
  coveredUs: number;
  idleUs: number;
  cpuWaitUs: number;
  tallies: Tallies;
}

export const emptySummary = (): StallSummary => ({
  count: 0,
  totalUs: 0,
  longestUs: 0,
  coveredUs: 0,
  idleUs: 0,
  cpuWaitUs: 0,
  tallies: new Map(),
});

/** Adds one stall (its length and its culprits' time) to `summary`. */
export function addStall(summary: StallSummary, stall: Stall): void {
  const us = stall.endUs - stall.startUs;
  summary.count += 1;
  summary.totalUs += us;
  summary.longestUs = Math.max(summary.longestUs, us);
  summary.coveredUs += stall.coveredUs;
  summary.idleUs += stall.idleUs;
  summary.cpuWaitUs += stall.cpuWaitUs;
  for (const [key, tally] of stall.tallies) {
    for (const [context, contextUs] of tally.contexts) addTo(summary.tallies, key, tally.culprit, context, contextUs);
  }
}

export function summarize(stalls: Iterable<Stall>): StallSummary {
  const summary = emptySummary();
  for (const stall of stalls) addStall(summary, stall);
  return summary;
}
