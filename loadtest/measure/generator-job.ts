/** The messages between the harness and its load-generator processes (generators.ts, generator-process.ts). */
import type { ClosedModelOptions } from './closed-model.ts';
import type { EncodedLatencies } from './latency-histogram.ts';
import type { OpenModelOptions } from './open-model.ts';
import type { OutcomeLogData } from './outcome-log.ts';

/**
 * One generator's share of a stretch of load. `startAtEpochMs` is one moment for every generator, in
 * wall-clock ms (`Date.now()`, the one clock all processes share), so their schedules interleave and
 * their logs share a start; `localTime` turns it into this process's performance.now() time.
 */
export type GeneratorJob =
  | ({ model: 'closed'; startAtEpochMs: number } & Pick<
      ClosedModelOptions,
      'url' | 'connections' | 'durationSeconds' | 'timeoutSeconds'
    >)
  | ({ model: 'open'; startAtEpochMs: number; share: { index: number; of: number }; drainMs: number } & Pick<
      OpenModelOptions,
      'origin' | 'path' | 'rate' | 'durationSeconds' | 'maxInFlight' | 'timeoutMs'
    >);

/** What one generator sent and saw, for the harness to merge. */
export interface GeneratorReport {
  due: number;
  windowSeconds: number;
  dropped: number;
  abandoned: number;
  log: OutcomeLogData;
  sendLag: EncodedLatencies | null;
  /** The process's CPU (user + system) over the job, seconds. */
  cpuSeconds: number;
}

export type GeneratorMessage =
  | { type: 'ready' }
  /** Requests that ended since the last progress message, for the live display. */
  | { type: 'progress'; ok: number; failed: number }
  | { type: 'done'; report: GeneratorReport }
  | { type: 'failed'; message: string };

/**
 * A wall-clock time (ms) as a performance.now() time of this process. `performance.timeOrigin` would
 * do it in one step, but it is a few ms off the wall clock, differently in each process (measured
 * here: 2.6–7.8 ms); so this waits for `Date.now()` to tick over (under 1 ms of spinning) and reads
 * both clocks at that edge, which every process sees at the same moment to within microseconds.
 */
export function localTime(epochMs: number): number {
  const before = Date.now();
  let now = Date.now();
  while (now === before) now = Date.now();
  return performance.now() + (epochMs - now);
}
