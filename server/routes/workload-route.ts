import type { Context } from 'hono';
import type { AppDeps } from '../deps.ts';
import { failureReason, toHttpError } from '../error-mapping.ts';
import { HttpError } from '../http-error.ts';
import { parseParams } from '../params.ts';
import { findWorkload, WORKLOADS } from '../workloads/registry.ts';
import { isMode, MODES, type Mode, type Workload, type WorkResult } from '../workloads/workload.ts';
import type { AppEnv } from './app-env.ts';

function run(workload: Workload, mode: Mode, params: Record<string, number | string>, deps: AppDeps, signal: AbortSignal): WorkResult | Promise<WorkResult> {
  switch (mode) {
    case 'blocking':
      return workload.blocking(params, deps.syncIo);
    case 'async':
      return workload.async(params, deps.clients, signal);
    case 'worker':
      return deps.pool.run(workload.name, params, signal);
  }
}

/**
 * Settles with the work or rejects when `signal` aborts, whichever comes first. Abandoned async work
 * that cannot be cancelled (a query already sent) finishes in the background; fetches and worker tasks
 * get the same signal and are cancelled for real.
 */
async function untilAborted<T>(work: T | Promise<T>, signal: AbortSignal): Promise<T> {
  if (!(work instanceof Promise)) return work;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    work.catch(() => {}); // an abandoned failure must not surface as an unhandled rejection
  }
}

function describeFailure(err: unknown, workload: string, deadline: AbortSignal, client: AbortSignal, requestTimeoutMs: number): HttpError {
  if (deadline.aborted) return new HttpError(504, 'the request took longer than its deadline', { deadlineMs: requestTimeoutMs });
  // The caller hung up and the work was cancelled (worker task aborted, slices stopped): nobody is
  // waiting for an answer, and it is not a server fault to log.
  if (client.aborted) return new HttpError(499, 'client closed the request');
  return toHttpError(workload, err);
}

/**
 * `GET /:workload/:mode`: validates, runs the work in the requested mode and reports how long it took.
 * Blocking work cannot be interrupted (nothing can stop synchronous code on the event loop); its
 * parameters bound it instead. Async and worker work stop at the deadline or when the client leaves.
 */
export function workloadHandler(deps: AppDeps, requestTimeoutMs: number) {
  return async function handleWorkload(c: Context<AppEnv>) {
    const workload = findWorkload(c.req.param('workload') ?? '');
    if (!workload) throw new HttpError(404, 'unknown workload', { workloads: Object.keys(WORKLOADS) });
    const mode = c.req.param('mode') ?? '';
    if (!isMode(mode)) throw new HttpError(404, 'unknown mode', { modes: MODES });
    c.set('work', { workload: workload.name, mode });
    if (deps.pressure?.underPressure) {
      deps.metrics.countFailure({ workload: workload.name, mode, reason: 'under_pressure' });
      throw new HttpError(503, 'the server is under pressure: its event loop stalled', { code: 'UNDER_PRESSURE', eventLoopDelayMs: Math.round(deps.pressure.lastDelayMs) }, { 'Retry-After': '1' });
    }

    const params = parseParams(workload.params, new URL(c.req.url).searchParams);
    workload.check?.(params);

    const started = performance.now();
    const deadline = AbortSignal.timeout(requestTimeoutMs);
    const signal = AbortSignal.any([c.req.raw.signal, deadline]);
    let result: WorkResult;
    try {
      result = await untilAborted(run(workload, mode, params, deps, signal), signal);
    } catch (err) {
      const httpError = describeFailure(err, workload.name, deadline, c.req.raw.signal, requestTimeoutMs);
      deps.metrics.countFailure({ workload: workload.name, mode, reason: failureReason(httpError) });
      if (httpError.status >= 500) c.set('cause', err);
      throw httpError;
    }
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    c.header('Server-Timing', `work;dur=${durationMs};desc="${workload.name}/${mode}"`);
    return c.json({ workload: workload.name, mode, params, durationMs, ...result });
  };
}
