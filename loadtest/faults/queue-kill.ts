import { setTimeout as sleep } from 'node:timers/promises';
import { fetchCatalog } from '../stack/catalog.ts';
import { runOpenModel } from '../measure/open-model.ts';
import type { Outcome as Answer } from '../measure/outcome-log.ts';
import { bucketize, type SecondBucket } from './buckets.ts';
import { openQueueJobs, type QueueJobs } from './queue-jobs.ts';
import {
  countsBetween,
  measureKillAnswers,
  measureKilledJobs,
  serverCounts,
  type KillAnswers,
  type KilledJobs,
  type QueueOutcome,
} from './queue-kill-figures.ts';
import {
  QUEUE_DRILL_SETTINGS,
  startQueueDrillStack,
  type DrillWorker,
  type QueueDrillSettings,
} from './queue-stack.ts';
import { httpGet } from '../stack/http-get.ts';

/** Longest the drill waits for the victim to hold a job, and past the deadline for its jobs to end. */
const GUARD_MS = 20_000;

export interface QueueKillResult {
  /** The queue-mode request the load sent. */
  endpoint: string;
  /** The queue settings the drill ran with (shorter than the defaults), and the backend. */
  settings: QueueDrillSettings & { backend: 'postgres'; stalledBoundMs: number };
  victim: { pid: number; name: string };
  replacement: { pid: number; name: string };
  /** Seconds on the fault run's clock (the `events` one). */
  loadStartedAtS: number;
  killedAtS: number;
  replacementReadyAtS: number;
  /** What the generator saw. */
  answers: KillAnswers;
  /** What BullMQ recorded of the jobs the killed worker held. */
  jobs: KilledJobs;
  /** Requests due in the phase, sent, dropped (too many in flight) and abandoned (unanswered at the end). */
  generator: { due: number; sent: number; dropped: number; abandoned: number };
  /** What the server counted for the endpoint's workload in queue mode during the phase, by status. */
  server: Record<string, number>;
  buckets: SecondBucket[];
}

export interface QueueKillContext {
  databaseUrl: string;
  upstreamUrl: string;
  rate: number;
  phaseSeconds: number;
  /** The fault run's clock: performance.now() at its start. */
  t0: number;
  events: Array<{ atS: number; what: string }>;
  onStep: (text: string) => void;
  onAnswer: (answer: { workload: string; path: string; dueAtS: number; latencyMs: number; outcome: Answer }) => void;
}

/**
 * The queue's slot of the fault run: the upstream-declaring workload of the index in queue mode, with
 * a delay so each job holds its worker for a while (the built-in: `/fetch/queue?delay=500`).
 */
async function queueRequest(origin: string, jobMs: number): Promise<{ workload: string; path: string }> {
  const catalog = await fetchCatalog(origin);
  const entry = catalog?.workloads.find(
    (w) => w.faultDrill?.dependency === 'upstream' && w.modes.includes('queue') && 'delay' in w.params,
  );
  if (!entry)
    throw new Error(
      `${origin}/ lists no workload in queue mode with a delay parameter that declares it uses the upstream ` +
        `(faultDrill), so the worker-kill drill has nothing to load`,
    );
  return { workload: entry.name, path: `/${entry.name}/queue?delay=${jobMs}` };
}

/** Polls until `probe` returns a value, or throws naming `what` after `guardMs`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, guardMs: number, everyMs = 50): Promise<T> {
  const giveUpAt = performance.now() + guardMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > giveUpAt)
      throw new Error(`the worker-kill drill gave up waiting for ${what} after ${guardMs / 1000} s`);
    await sleep(everyMs);
  }
}

const allEnded = async (jobs: QueueJobs, ids: string[]) => {
  const records = await jobs.read(ids);
  return records.length === ids.length && records.every((j) => j.state === 'completed' || j.state === 'failed')
    ? true
    : undefined;
};

/**
 * Open-model load on a queue-mode endpoint served by a server with QUEUE_WORKERS=0 and two queue
 * worker processes of the harness's own; a phase in, one of them is SIGKILLed while it holds jobs,
 * and a replacement is started a second later. Then it waits for every job the victim held to end
 * (BullMQ's stalled check puts each back, another worker runs it) and for a calm phase.
 */
export async function runQueueKillPhase(
  ctx: QueueKillContext,
  s: QueueDrillSettings = QUEUE_DRILL_SETTINGS,
): Promise<QueueKillResult> {
  const at = (t: number) => Math.round((t - ctx.t0) / 10) / 100;
  const note = (what: string) => ctx.events.push({ atS: at(performance.now()), what });
  ctx.onStep(`starting a queue-mode server and ${s.workers} queue worker processes`);
  const stack = await startQueueDrillStack(ctx, s);
  const jobs = openQueueJobs({ kind: 'postgres', url: ctx.databaseUrl });
  const loadDone = new AbortController();
  let load: ReturnType<typeof runOpenModel> | undefined;
  let replacement: Promise<{ worker: DrillWorker; readyAt: number }> | undefined;
  try {
    const { workload, path } = await queueRequest(stack.origin, s.jobMs);
    const metrics = async () => serverCounts(await (await httpGet(`${stack.origin}/metrics`)).text(), workload);
    const before = await metrics();
    const outcomes: QueueOutcome[] = [];
    const loadStarted = performance.now();
    const loadStartedEpoch = Date.now();
    note(`queue load starts on ${path}`);
    load = runOpenModel({
      origin: stack.origin,
      path,
      rate: ctx.rate,
      durationSeconds: ctx.phaseSeconds * 2 + (s.deadlineMs + 2 * GUARD_MS) / 1000,
      maxInFlight: 5000,
      // Past the server's deadline: a request the server gave up on comes back as its 504, and a
      // "timeout" here means the server itself never answered.
      timeoutMs: s.deadlineMs + 5000,
      drainMs: s.deadlineMs + 5000,
      signal: loadDone.signal,
      onResult: (dueAt, outcome, latencyMs) => {
        outcomes.push({ dueAt, outcome, latencyMs });
        ctx.onAnswer({ workload, path, dueAtS: (dueAt - ctx.t0) / 1000, latencyMs, outcome });
      },
    });

    await sleep(Math.max(0, loadStarted + ctx.phaseSeconds * 1000 - performance.now()));
    const [victim] = stack.workers;
    if (!victim) throw new Error('the worker-kill drill started no queue worker');
    ctx.onStep(`killing queue worker ${victim.child.pid} (SIGKILL) while it holds jobs`);
    await until(
      `queue worker ${victim.child.pid} to hold a job`,
      async () => ((await jobs.heldBy(victim.name)).length > 0 ? true : undefined),
      GUARD_MS,
    );
    const killedAt = performance.now();
    const killedAtEpoch = Date.now();
    process.kill(victim.child.pid, 'SIGKILL');
    await victim.child.exited;
    // Read once it is dead: what it held then is exactly what it held when it died.
    const heldIds = await jobs.heldBy(victim.name);
    ctx.events.push({
      atS: at(killedAt),
      what: `queue worker ${victim.child.pid} killed (SIGKILL) holding ${heldIds.length} job(s)`,
    });

    replacement = sleep(s.replacementDelayMs).then(async () => {
      ctx.onStep('starting a replacement queue worker');
      const worker = await stack.startWorker();
      note(`replacement queue worker ${worker.child.pid} listens`);
      return { worker, readyAt: performance.now() };
    });
    ctx.onStep(
      `waiting for the ${heldIds.length} job(s) it held to be re-run (stalled check: within ${s.lockMs + 2 * s.stalledMs} ms)`,
    );
    // Past the deadline every request in flight at the kill has its answer, one way or another: the
    // drill then reports what it saw (a job still active there is one the stalled check lost).
    const endedInTime = await until(
      "the killed worker's jobs to end",
      async () =>
        (await allEnded(jobs, heldIds)) ? true : performance.now() > killedAt + s.deadlineMs + 5000 ? false : undefined,
      s.deadlineMs + GUARD_MS,
      100,
    );
    note(
      endedInTime
        ? 'every job the killed worker held has ended'
        : "the killed worker's jobs had not all ended at the deadline",
    );
    const { worker: newWorker, readyAt: replacementReadyAt } = await replacement;
    ctx.onStep('a calm phase on the queue');
    await sleep(ctx.phaseSeconds * 1000);
    loadDone.abort();
    const result = await load;
    note('queue load stopped');

    const records = await jobs.read(heldIds);
    const stalled = await jobs.stalledSince(loadStartedEpoch);
    return {
      endpoint: path,
      settings: { ...s, backend: 'postgres', stalledBoundMs: s.lockMs + 2 * s.stalledMs },
      victim: { pid: victim.child.pid, name: victim.name },
      replacement: { pid: newWorker.child.pid, name: newWorker.name },
      loadStartedAtS: at(loadStarted),
      killedAtS: at(killedAt),
      replacementReadyAtS: at(replacementReadyAt),
      answers: measureKillAnswers(outcomes, killedAt),
      jobs: measureKilledJobs(heldIds, records, stalled, killedAtEpoch),
      generator: { due: result.due, sent: result.sent, dropped: result.dropped, abandoned: result.abandoned },
      server: countsBetween(before, await metrics()),
      buckets: bucketize({ [workload]: outcomes }, ctx.t0),
    };
  } finally {
    // Nothing of the phase outlives it: the load, a replacement still starting, the queue's connections.
    loadDone.abort();
    await load?.catch(() => {});
    await replacement?.catch(() => {});
    await jobs.close();
    await stack.stop();
  }
}
