import type { QueueKillResult } from './queue-kill.ts';
import type { Tally } from './queue-kill-figures.ts';

const ms = (v: number | null) => (v === null ? '–' : `${v} ms`);
const tallyText = (t: Tally) => `${t.answered2xx} / ${t.failed} / ${t.timedOut}`;
const counts = (o: Record<string, number>) =>
  Object.entries(o)
    .sort()
    .map(([k, n]) => `${k}×${n}`)
    .join(' ') || '–';

/** The drill's method in one sentence: what ran, with which settings, and that they are not the defaults. */
export function queueKillMethod(q: QueueKillResult): string {
  const s = q.settings;
  return (
    `Load on ${q.endpoint} (a server with QUEUE_WORKERS=0, ${s.workers} \`npm run worker\` processes of the harness × ${s.concurrency} jobs, BullMQ on ${s.backend}); ` +
    `a phase in, queue worker ${q.victim.pid} was SIGKILLed while it held jobs and a replacement started ${s.replacementDelayMs} ms later. ` +
    `Drill settings, shorter than the defaults (5000 / 5000): QUEUE_LOCK_MS=${s.lockMs}, QUEUE_STALLED_MS=${s.stalledMs}, so a stalled job is back within ` +
    `QUEUE_LOCK_MS + 2 × QUEUE_STALLED_MS = ${s.stalledBoundMs} ms; request deadline ${s.deadlineMs} ms.`
  );
}

/** Figure and value, for the report's table and the terminal. */
export function queueKillRows(q: QueueKillResult): string[][] {
  const a = q.answers;
  const j = q.jobs;
  const g = q.generator;
  return [
    [
      'killed',
      `${q.killedAtS} s (load from ${q.loadStartedAtS} s; replacement listening at ${q.replacementReadyAtS} s)`,
    ],
    ['jobs the killed worker held (BullMQ)', String(j.held)],
    ['requests in flight at the kill', String(a.inFlightAtKill)],
    ['of those: 2xx / failed / timed out', tallyText(a.inFlight)],
    ['slowest answer of those', ms(a.slowestInFlightMs)],
    ['kill → the last of those answered', ms(a.lastInFlightAnsweredMs)],
    [
      'held jobs re-run by another worker (attemptsStarted 2, stalled once)',
      `${j.rerun} of ${j.held} (completed ${j.completed}, failed ${j.failed})`,
    ],
    [
      'kill → last held job back in a worker / finished',
      `${ms(j.lastBackInWorkerMs)} / ${ms(j.lastFinishedMs)} (bound ${q.settings.stalledBoundMs} ms)`,
    ],
    ['jobs that stalled though the victim did not hold them', String(j.stalledNotHeld)],
    ['whole phase: 2xx / failed / timed out', `${tallyText(a.all)} (slowest ${ms(a.slowestMs)})`],
    ['generator: due / sent / dropped / abandoned', `${g.due} / ${g.sent} / ${g.dropped} / ${g.abandoned}`],
    ['server counted (looplab_request_duration_seconds, queue mode)', counts(q.server)],
  ];
}
