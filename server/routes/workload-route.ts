import type { Context, Hono } from 'hono';
import type { AppDeps } from '../deps.ts';
import type { Logger } from '../observation/logger.ts';
import { failureReason, toHttpError } from '../http/error-mapping.ts';
import { HttpError } from '../../lib/http-error.ts';
import { httpErrorFor } from '../../lib/error-codes.ts';
import { paramsParser, queryOf } from './params-cache.ts';
import type { Registry } from '../workloads/registry.ts';
import { isMode, type Mode, type Workload, type WorkResult } from '../workloads/workload.ts';
import type { AppEnv, WorkLabel } from './app-env.ts';
import { nodeBindings, setServerTiming } from './node-bindings.ts';
import { recordWork } from './request-record.ts';
import { RequestSignal } from './request-signal.ts';

/**
 * The in-process modes a workload has, plus `queue`, which runs the worker form in a queue worker
 * process (server/queue/) and is mounted only when the server has a queue.
 */
export type RouteMode = Mode | 'queue';

/** The modes `workload` is served in on this server: its own, and `queue` wherever it has a worker form. */
export function routeModes(workload: Workload, hasQueue: boolean): readonly RouteMode[] {
  return hasQueue && workload.modes.includes('worker') ? [...workload.modes, 'queue'] : workload.modes;
}

const isRouteMode = (value: string): value is RouteMode => value === 'queue' || isMode(value);

/** Runs a mode that can be waited for; only modes the workload has are mounted (resolve.ts). */
function run(
  workload: Workload,
  mode: Exclude<RouteMode, 'blocking'>,
  params: Record<string, number | string>,
  deps: AppDeps,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<WorkResult> {
  switch (mode) {
    case 'async':
      return (workload.async as NonNullable<Workload['async']>)(params, deps.clients, signal);
    case 'worker':
      return deps.pool.run(workload.name, params, signal);
    case 'queue':
      if (!deps.queue) throw new Error('queue mode is not mounted without a queue');
      return deps.queue.run(workload.name, params, signal, Date.now() + timeoutMs);
  }
}

function describeFailure(
  err: unknown,
  workload: string,
  request: RequestSignal | undefined,
  requestTimeoutMs: number,
): HttpError {
  if (request?.timedOut) return httpErrorFor('DEADLINE', { deadlineMs: requestTimeoutMs });
  // The caller hung up and the work was cancelled (worker task aborted, slices stopped): nobody is
  // waiting for an answer, and it is not a server fault to log. (Blocking work has no RequestSignal:
  // nothing can hear a hang-up while it holds the loop.)
  if (request?.hungUp) return httpErrorFor('CLIENT_CLOSED');
  return toHttpError(workload, err);
}

export interface WorkloadRouteOptions {
  /** Deadline of each workload request, ms. */
  requestTimeoutMs: number;
  /** Gets one `debug` line per request. */
  logger: Logger;
}

/**
 * One handler per workload and mode, mounted on its own static path (`/db/async`, …) rather than on
 * `/:workload/:mode`: Hono's fast RegExpRouter refuses a parameter route beside static ones like
 * `/health` and the app falls back to the slower TrieRouter for every request; static paths also
 * spare the per-request lookup of the workload and mode. Unknown names get their 404 from
 * {@link unknownWorkloadOrMode} in the app's not-found handler.
 */
export function mountWorkloads(app: Hono<AppEnv>, deps: AppDeps, options: WorkloadRouteOptions): void {
  for (const workload of deps.workloads.all) {
    for (const mode of routeModes(workload, deps.queue !== undefined))
      app.get(`/${workload.name}/${mode}`, workloadHandler(workload, mode, deps, options));
  }
}

/** The 404 for a `/<workload>/<mode>`-shaped path that names an unknown workload or mode, else undefined. */
export function unknownWorkloadOrMode(
  path: string,
  registry: Registry,
  deps: Pick<AppDeps, 'queue'>,
): HttpError | undefined {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const workload = registry.find(match[1] as string);
  if (!workload) return new HttpError(404, 'unknown workload', { workloads: registry.all.map((w) => w.name) });
  const modes = routeModes(workload, deps.queue !== undefined);
  if (!isRouteMode(match[2] as string)) return new HttpError(404, 'unknown mode', { modes });
  // A mode that exists, but not for this workload (a file with no async form has no /<name>/async),
  // or not on this server (queue mode with QUEUE=off).
  return new HttpError(
    404,
    `workload ${workload.name} has no ${match[2]} mode${match[2] === 'queue' && !deps.queue ? ' on this server (QUEUE=off)' : ''}`,
    { modes },
  );
}

/**
 * `GET /<workload>/<mode>`: validates, runs the work in that mode and reports how long it took; records
 * the request's duration and status in the metrics and (at debug) the log (see request-record.ts).
 * Blocking work cannot be interrupted (nothing can stop synchronous code on the event loop); its
 * parameters bound it instead. Async and worker work stop at the deadline or when the client leaves.
 */
function workloadHandler(
  workload: Workload,
  mode: RouteMode,
  deps: AppDeps,
  { requestTimeoutMs, logger }: WorkloadRouteOptions,
) {
  const work: WorkLabel = Object.freeze({ workload: workload.name, mode });
  const timingDesc = `;desc="${workload.name}/${mode}"`;
  const parseParams = paramsParser(workload);
  return async function handleWorkload(c: Context<AppEnv>) {
    const routedAt = performance.now();
    try {
      if (deps.pressure?.underPressure) {
        const shed = httpErrorFor('UNDER_PRESSURE', { eventLoopDelayMs: Math.round(deps.pressure.lastDelayMs) });
        deps.metrics.countFailure(work, failureReason(shed));
        throw shed;
      }
      // Node's own request URL where there is one: `c.req` would build Hono's request wrapper for it.
      const params = parseParams(queryOf(nodeBindings(c)?.incoming?.url ?? c.req.url));

      const started = performance.now();
      let request: RequestSignal | undefined;
      let result: WorkResult;
      try {
        if (mode === 'blocking') {
          // Nothing can interrupt it, so it gets no deadline timer or abort listener.
          result = (workload.blocking as NonNullable<Workload['blocking']>)(params, deps.syncIo);
        } else {
          // Node's response hears a hang-up without the adapter's per-request AbortController.
          request = new RequestSignal(nodeBindings(c)?.outgoing ?? c.req.raw.signal, requestTimeoutMs);
          result = await request.race(run(workload, mode, params, deps, request.signal, requestTimeoutMs));
        }
      } catch (err) {
        const httpError = describeFailure(err, workload.name, request, requestTimeoutMs);
        deps.metrics.countFailure(work, failureReason(httpError));
        if (httpError.status >= 500) c.set('cause', err);
        throw httpError;
      } finally {
        request?.dispose();
      }
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      setServerTiming(c, `work;dur=${durationMs}${timingDesc}`);
      const response = c.json({ workload: workload.name, mode, params, durationMs, ...result });
      recordWork(c, work, routedAt, 200, deps.metrics, logger); // failures: the app's error handler
      return response;
    } catch (err) {
      // The app's error handler records and logs the failure (request-record.ts) and reads what ran
      // from the context; a successful answer does without (Hono's first `c.set` creates a Map).
      c.set('routedAt', routedAt);
      c.set('work', work);
      throw err;
    }
  };
}
