import type { Outcome as Answer } from '../measure/outcome-log.ts';
import type { JobRecord } from './queue-jobs.ts';

/** One request of the drill: when it was due (performance.now() ms), how it ended and after how long. */
export interface QueueOutcome {
  dueAt: number;
  outcome: Answer;
  latencyMs: number;
}

/** How a set of requests ended: 2xx, timed out at the generator (no answer in time), failed otherwise. */
export interface Tally {
  answered2xx: number;
  failed: number;
  timedOut: number;
  /** Every outcome by status ("error" = no answer, "timeout" = the generator gave up). */
  byStatus: Record<string, number>;
}

export function tally(outcomes: readonly QueueOutcome[]): Tally {
  const t: Tally = { answered2xx: 0, failed: 0, timedOut: 0, byStatus: {} };
  for (const o of outcomes) {
    const key = String(o.outcome);
    t.byStatus[key] = (t.byStatus[key] ?? 0) + 1;
    if (o.outcome === 'timeout') t.timedOut++;
    else if (typeof o.outcome === 'number' && o.outcome >= 200 && o.outcome < 300) t.answered2xx++;
    else t.failed++;
  }
  return t;
}

/** What the generator saw around the kill, from its own outcomes alone. */
export interface KillAnswers {
  /** Requests due before the kill whose answer came after it: in flight when the worker died. */
  inFlightAtKill: number;
  inFlight: Tally;
  /** The slowest of those, ms from when it was due. */
  slowestInFlightMs: number | null;
  /** From the kill to the last of them answered: after this, the kill cost nobody anything more. */
  lastInFlightAnsweredMs: number | null;
  /** Every request of the phase. */
  all: Tally;
  slowestMs: number | null;
}

const completedAt = (o: QueueOutcome) => o.dueAt + o.latencyMs;
const maxOf = (values: number[]) => (values.length > 0 ? Math.round(Math.max(...values)) : null);

/** @param killedAt the performance.now() time the SIGKILL was sent. */
export function measureKillAnswers(outcomes: readonly QueueOutcome[], killedAt: number): KillAnswers {
  const inFlight = outcomes.filter((o) => o.dueAt <= killedAt && completedAt(o) > killedAt);
  return {
    inFlightAtKill: inFlight.length,
    inFlight: tally(inFlight),
    slowestInFlightMs: maxOf(inFlight.map((o) => o.latencyMs)),
    lastInFlightAnsweredMs: maxOf(inFlight.map((o) => completedAt(o) - killedAt)),
    all: tally(outcomes),
    slowestMs: maxOf(outcomes.map((o) => o.latencyMs)),
  };
}

/** What BullMQ itself recorded of the jobs the killed worker held. */
export interface KilledJobs {
  /** Active jobs the worker held when it died (read after the kill, so none can have finished since). */
  held: number;
  /** Of those, how they ended: the stalled check put each back and another worker ran it. */
  completed: number;
  failed: number;
  /** Held jobs a second worker took: BullMQ's attemptsStarted 2 and stalledCounter 1. */
  rerun: number;
  /** From the kill to the last held job taken again by a worker (its second processedOn). */
  lastBackInWorkerMs: number | null;
  /** From the kill to the last held job finished in its new worker (finishedOn). */
  lastFinishedMs: number | null;
  /** Jobs of the phase that stalled though the killed worker did not hold them: 0 unless locks lapsed. */
  stalledNotHeld: number;
}

/**
 * @param heldIds the active jobs the victim held, read just after it died
 * @param records those jobs read back once they ended
 * @param stalled every finished job of the phase that stalled at least once
 * @param killedAtEpoch the kill, epoch ms (BullMQ's times are epoch ms)
 */
export function measureKilledJobs(
  heldIds: readonly string[],
  records: readonly JobRecord[],
  stalled: readonly JobRecord[],
  killedAtEpoch: number,
): KilledJobs {
  const ids = new Set(heldIds);
  const held = records.filter((j) => ids.has(j.id));
  const after = (t: number | undefined) => (t === undefined ? [] : [t - killedAtEpoch]);
  return {
    held: ids.size,
    completed: held.filter((j) => j.state === 'completed').length,
    failed: held.filter((j) => j.state === 'failed').length,
    rerun: held.filter((j) => j.attemptsStarted >= 2 && j.stalledCounter >= 1).length,
    lastBackInWorkerMs: maxOf(held.flatMap((j) => (j.attemptsStarted >= 2 ? after(j.processedOn) : []))),
    lastFinishedMs: maxOf(held.flatMap((j) => after(j.finishedOn))),
    stalledNotHeld: stalled.filter((j) => !ids.has(j.id)).length,
  };
}

/** A server's `looplab_request_duration_seconds_count` for one workload in queue mode, by status. */
export function serverCounts(metricsText: string, workload: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of metricsText.matchAll(/^looplab_request_duration_seconds_count\{([^}]*)\} ([0-9.eE+-]+)$/gm)) {
    const labels = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels['workload'] !== workload || labels['mode'] !== 'queue' || labels['status'] === undefined) continue;
    counts[labels['status']] = (counts[labels['status']] ?? 0) + Number(m[2]);
  }
  return counts;
}

/** `after − before`, status by status: what the server answered during the phase. */
export function countsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, n]) => [k, n - (before[k] ?? 0)])
      .filter(([, n]) => n !== 0),
  );
}
