import { fork, type ChildProcess } from 'node:child_process';
import { siblingFile, typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import {
  drainMs,
  inProcessDriver,
  OPEN_MODEL_MAX_IN_FLIGHT,
  REQUEST_TIMEOUT_SECONDS,
  type LoadDriver,
} from './drive.ts';
import { localTime, type GeneratorJob, type GeneratorMessage, type GeneratorReport } from './generator-job.ts';
import { mergeReports, splitConnections } from './merge.ts';
import type { Scenario } from '../types.ts';

/** How far ahead the shared start is set, so every generator has its job before it. */
const START_LEAD_MS = 50;

function waitForMessage(
  child: ChildProcess,
  want: GeneratorMessage['type'],
  onProgress?: (m: Extract<GeneratorMessage, { type: 'progress' }>) => void,
): Promise<GeneratorMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: GeneratorMessage) => {
      if (message.type === 'progress') return onProgress?.(message);
      cleanup();
      if (message.type === 'failed') reject(new Error(`a load generator failed: ${message.message}`));
      else if (message.type === want) resolve(message);
      else reject(new Error(`a load generator sent "${message.type}" where "${want}" was expected`));
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`a load generator process exited (code ${String(code)}) before it sent "${want}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Generator i's share of the scenario's load for `seconds`, starting at `startAtEpochMs`. */
function jobFor(
  origin: string,
  scenario: Scenario,
  seconds: number,
  index: number,
  of: number,
  startAtEpochMs: number,
): GeneratorJob {
  if (scenario.rate === undefined) {
    const connections = splitConnections(scenario.connections, of)[index] ?? 0;
    return {
      model: 'closed',
      url: origin + scenario.path,
      connections,
      durationSeconds: seconds,
      timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
      startAtEpochMs,
    };
  }
  return {
    model: 'open',
    origin,
    path: scenario.path,
    rate: scenario.rate,
    durationSeconds: seconds,
    // The limit on outstanding requests stays the single generator's in total.
    maxInFlight: Math.max(1, Math.floor(OPEN_MODEL_MAX_IN_FLIGHT / of)),
    timeoutMs: REQUEST_TIMEOUT_SECONDS * 1000,
    drainMs: drainMs(seconds),
    share: { index, of },
    startAtEpochMs,
  };
}

/**
 * `count` load generators. One is this process (today's path, nothing started). More are processes
 * of their own, started once and ready before any load, each sending its share — connections split so
 * they sum to the scenario's, or every count-th request of the open model's schedule — from one shared
 * start, and answering with its histograms, which are merged exactly (merge.ts).
 *
 * Not autocannon's own `workers` option: its worker threads report only per-second ticks, not each
 * response, so 2xx and failures could not be kept apart (its latency histogram mixes them unless told
 * to drop failures entirely), there would be no timeline or progress, and it floors connections ÷
 * workers (5 over 2 runs 4). Its result format is what this follows: histograms encoded with
 * HdrHistogram's compressed base64 and added, as its `aggregateResult()` does.
 */
export async function startLoadDriver(count: number): Promise<LoadDriver> {
  if (count <= 1) return inProcessDriver;
  const children = Array.from({ length: count }, () =>
    fork(siblingFile(import.meta.url, './generator-process.ts'), {
      execArgv: typeScriptLoaderArgs(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    }),
  );
  const stop = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  try {
    await Promise.all(children.map((child) => waitForMessage(child, 'ready')));
  } catch (err) {
    stop();
    throw err;
  }
  return {
    async drive(origin, scenario, seconds, onOutcome) {
      const startAtEpochMs = Date.now() + START_LEAD_MS;
      const onProgress = onOutcome
        ? (m: { ok: number; failed: number }) => {
            for (let i = 0; i < m.ok; i++) onOutcome(true);
            for (let i = 0; i < m.failed; i++) onOutcome(false);
          }
        : undefined;
      const start = localTime(startAtEpochMs);
      const reports = await Promise.all(
        children.map(async (child, index) => {
          const done = waitForMessage(child, 'done', onProgress);
          child.send(jobFor(origin, scenario, seconds, index, count, startAtEpochMs));
          return ((await done) as Extract<GeneratorMessage, { type: 'done' }>).report;
        }),
      ).catch((err: unknown) => {
        stop();
        throw err;
      });
      return mergeReports(
        scenario.rate === undefined ? 'closed' : 'open',
        reports satisfies GeneratorReport[],
        start,
        scenario.rate,
      );
    },
    stop,
  };
}
