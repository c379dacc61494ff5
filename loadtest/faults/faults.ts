import { dataPath } from '../../lib/data-dir.ts';
import { siblingFile } from '../../lib/loader-args.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadLocalDatabase } from '../stack/stack.ts';
import { startChild, type ManagedChild } from '../../lib/child-process.ts';
import { startUpstream } from '../../upstream/launch.ts';
import { describeEnvironment, fetchServerFacts } from '../stack/environment.ts';
import { freePort } from '../../lib/free-port.ts';
import { fetchCatalog } from '../stack/catalog.ts';
import { waitUntilReady } from '../stack/wait-for-url.ts';
import { runOpenModel } from '../measure/open-model.ts';
import type { Outcome as Answer } from '../measure/outcome-log.ts';
import type { Environment } from '../types.ts';
import { bucketize, type SecondBucket } from './buckets.ts';
import { runQueueKillPhase, type QueueKillResult } from './queue-kill.ts';

export type { SecondBucket };

/** Longest a dependency's restart may overrun its phase before the load itself runs out. */
const MAX_RESTART_SECONDS = 60;

/** The dependencies the drill takes away, in order. */
const DEPENDENCIES = ['database', 'upstream'] as const;

/** A workload whose dependency the drill takes away, and the request it sends it (from the server's index). */
export interface DrillTarget {
  workload: string;
  dependency: string;
  path: string;
}

/** For each dependency, the first workload of the server's index that declares it uses it (`faultDrill`). */
async function drillTargets(origin: string): Promise<DrillTarget[]> {
  const catalog = await fetchCatalog(origin);
  return DEPENDENCIES.map((dependency) => {
    const entry = catalog?.workloads.find((w) => w.faultDrill?.dependency === dependency);
    if (!entry?.faultDrill)
      throw new Error(
        `${origin}/ lists no workload that declares it uses the ${dependency} (faultDrill), so the drill has nothing to watch`,
      );
    return { workload: entry.name, dependency, path: entry.faultDrill.path };
  });
}

export interface FaultOptions {
  /** Requests per second to each workload (open model). */
  rate: number;
  /** Seconds of each phase: calm, database down, calm, upstream down, calm. */
  phaseSeconds: number;
}

export interface Recovery {
  dependency: string;
  workload: string;
  /** When the stop began: answers during the shutdown itself count as "while down". */
  stoppedAtS: number;
  /** When the restart began; requests due before this are "while down". */
  restartingAtS: number;
  restartedAtS: number;
  /** Requests due while it was down, and how they ended. */
  duringOutage: Record<string, number>;
  /** Slowest answer to a request due while it was down, ms: how long a caller waited to learn. */
  slowestAnswerWhileDownMs: number;
  /** From the moment it accepted connections again to the first successful answer (its completion). */
  firstSuccessMs: number | null;
  /** From the same moment to the completion of the last failed request: after this, everything succeeded. */
  lastFailureMs: number | null;
}

export interface FaultResults {
  schema: 'looplab-faults/1';
  options: FaultOptions;
  environment: Environment;
  /** What was loaded while which dependency was taken away (absent from results before it was recorded). */
  targets?: DrillTarget[];
  events: Array<{ atS: number; what: string }>;
  buckets: SecondBucket[];
  recoveries: Recovery[];
  /** The worker-kill drill on queue mode, after the dependencies' phases (absent from results before it existed). */
  queueKill?: QueueKillResult;
  finishedAt: string;
}

/**
 * When a dependency went down, when its restart began and when it accepted connections again. It is
 * surely down only until the restart begins: requests due while it boots may already be answered.
 */
export interface Mark {
  /** When the stop was asked for, before it returned. */
  stopped: number;
  restarting: number;
  restarted: number;
}

export interface Outcome {
  dueAt: number;
  outcome: Answer;
  latencyMs: number;
}

/** One answered request of the drill, on the same clock as `events` (seconds from the start of the load). */
export interface DrillAnswer {
  workload: string;
  /** The request, e.g. `/db/async?queries=1&sleep=5` or the worker-kill drill's `/fetch/queue?delay=500`. */
  path: string;
  dueAtS: number;
  latencyMs: number;
  outcome: Answer;
}

/**
 * Runs constant-rate load on the workloads that declare a database or upstream dependency (the
 * built-ins: `/db/async`, `/fetch/async`) while it stops and restarts the real
 * embedded PostgreSQL and the real upstream, and measures what callers saw and how fast the server
 * recovered by itself; then loads queue mode and SIGKILLs a queue worker mid-job (queue-kill.ts).
 * Everything runs in separate processes, started and stopped here.
 */
export async function runFaultDrill(
  options: FaultOptions,
  onStep: (text: string) => void = () => {},
  /** Every answer as it comes: the buckets count requests by the second they were due, not how long they lived. */
  onAnswer: (answer: DrillAnswer) => void = () => {},
): Promise<FaultResults> {
  const startedAt = new Date();
  const pgPort = await freePort();
  const dataDir = dataPath('postgres-faults');
  const upstreamPort = await freePort();
  const children: { pg?: ManagedChild; upstream?: ManagedChild; server?: ManagedChild } = {};
  const db = await loadLocalDatabase();
  try {
    children.pg = await db.startEmbeddedPostgres({ port: pgPort, dataDir });
    children.upstream = await startUpstream(upstreamPort, '127.0.0.1');
    await db.migrate(children.pg.url);
    children.server = await startChild(
      siblingFile(import.meta.url, '../../server/main.ts'),
      'looplab server',
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: children.pg.url,
        UPSTREAM_URL: children.upstream.url,
        REQUEST_TIMEOUT_MS: '5000',
      },
      { quiet: true },
    );
    const origin = children.server.url;
    await waitUntilReady(origin);
    const facts = await fetchServerFacts(origin);
    const targets = await drillTargets(origin);
    const [database, upstream] = targets as [DrillTarget, DrillTarget];

    const phase = options.phaseSeconds;
    const outcomes: Record<string, Outcome[]> = Object.fromEntries(targets.map((t) => [t.workload, []]));
    const t0 = performance.now();
    const at = (t: number) => Math.round((t - t0) / 10) / 100;
    // The load runs until a calm phase has followed the last restart, however long the restarts took
    // (PostgreSQL can take seconds to boot on a busy machine): it is stopped then, not on a fixed clock.
    const loadDone = new AbortController();
    const loads = targets.map(({ workload, path }) =>
      runOpenModel({
        origin,
        path,
        rate: options.rate,
        durationSeconds: phase * 5 + MAX_RESTART_SECONDS,
        maxInFlight: 500,
        timeoutMs: 10_000,
        signal: loadDone.signal,
        onResult: (dueAt, outcome, latencyMs) => {
          outcomes[workload]?.push({ dueAt, outcome, latencyMs });
          onAnswer({ workload, path, dueAtS: (dueAt - t0) / 1000, latencyMs, outcome });
        },
      }),
    );

    const events: FaultResults['events'] = [];
    const marks: Record<string, Mark> = {};
    /** Stops a dependency at `from` (a performance.now() time), restarts it a phase later; returns when it is back. */
    const outage = async (
      { workload, dependency }: DrillTarget,
      stop: () => Promise<void>,
      start: () => Promise<void>,
      from: number,
    ): Promise<number> => {
      await sleep(Math.max(0, from - performance.now()));
      onStep(`stopping the ${dependency}`);
      // Stamped before stop() returns: requests answered during the shutdown are part of the outage.
      const stopped = performance.now();
      events.push({ atS: at(stopped), what: `${dependency} stopping` });
      await stop();
      events.push({ atS: at(performance.now()), what: `${dependency} stopped` });
      await sleep(Math.max(0, from + phase * 1000 - performance.now()));
      onStep(`starting the ${dependency} again`);
      const restarting = performance.now();
      await start();
      const restarted = performance.now();
      events.push({ atS: at(restarted), what: `${dependency} accepts connections again` });
      marks[workload] = { stopped, restarting, restarted };
      return restarted;
    };
    const databaseBack = await outage(
      database,
      async () => children.pg?.stop(),
      async () => {
        children.pg = await db.startEmbeddedPostgres({ port: pgPort, dataDir });
      },
      t0 + phase * 1000,
    );
    // A calm phase after the database is back, even when its restart overran its phase.
    const upstreamBack = await outage(
      upstream,
      async () => children.upstream?.stop(),
      async () => {
        children.upstream = await startUpstream(upstreamPort, '127.0.0.1');
      },
      Math.max(t0 + phase * 3000, databaseBack + phase * 1000),
    );
    onStep('letting the load run out');
    await sleep(Math.max(0, upstreamBack + phase * 1000 - performance.now()));
    loadDone.abort();
    await Promise.all(loads);
    // Its own server and workers: this server's local queue worker would take the drill's jobs.
    await children.server.stop();
    const queueKill = await runQueueKillPhase({
      databaseUrl: children.pg.url,
      upstreamUrl: children.upstream.url,
      rate: options.rate,
      phaseSeconds: phase,
      t0,
      events,
      onStep,
      onAnswer,
    });

    return {
      schema: 'looplab-faults/1',
      options,
      environment: describeEnvironment(facts, true, startedAt),
      targets,
      events,
      buckets: bucketize(outcomes, t0),
      recoveries: targets.flatMap((t) => {
        const mark = marks[t.workload];
        return mark ? [measureRecovery(t.workload, outcomes[t.workload] ?? [], mark, t0, t.dependency)] : [];
      }),
      queueKill,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    await children.server?.stop();
    await children.upstream?.stop();
    await children.pg?.stop();
  }
}

const key = (o: Outcome) => String(o.outcome);
const ok = (o: Outcome) => o.outcome === 200;

export function measureRecovery(
  workload: string,
  outcomes: Outcome[],
  mark: Mark,
  t0: number,
  dependency: string,
): Recovery {
  const duringOutage: Record<string, number> = {};
  let slowest = 0;
  for (const o of outcomes) {
    if (o.dueAt >= mark.stopped && o.dueAt < mark.restarting) {
      duringOutage[key(o)] = (duringOutage[key(o)] ?? 0) + 1;
      slowest = Math.max(slowest, o.latencyMs);
    }
  }
  // Completion, not due time: a request due before the restart may be the first to succeed after it.
  const completedAt = (o: Outcome) => o.dueAt + o.latencyMs;
  const successes = outcomes.filter((o) => ok(o) && completedAt(o) >= mark.restarted).map(completedAt);
  const firstSuccess = successes.length > 0 ? Math.min(...successes) : null;
  const failures = outcomes.filter((o) => o.dueAt >= mark.stopped && !ok(o)).map(completedAt);
  const lastFailure = failures.length > 0 ? Math.max(...failures) : null;
  const ms = (t: number) => Math.round(t - mark.restarted);
  return {
    dependency,
    workload,
    stoppedAtS: Math.round((mark.stopped - t0) / 10) / 100,
    restartingAtS: Math.round((mark.restarting - t0) / 10) / 100,
    restartedAtS: Math.round((mark.restarted - t0) / 10) / 100,
    duringOutage,
    slowestAnswerWhileDownMs: Math.round(slowest),
    firstSuccessMs: firstSuccess === null ? null : ms(firstSuccess),
    lastFailureMs: lastFailure === null ? null : Math.max(0, ms(lastFailure)),
  };
}
