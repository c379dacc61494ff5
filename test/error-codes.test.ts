import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, httpErrorFor, type ErrorCode, type ErrorCodeSpec } from '../lib/error-codes.ts';
import { DbUnavailableError } from '../server/clients/world-store.ts';
import { UpstreamStatusError } from '../server/clients/upstream-client.ts';
import { failureReason, toHttpError } from '../server/http/error-mapping.ts';
import { SyncIoTimeoutError } from '../server/offload/sync-io.ts';
import { WorkerCrashError } from '../server/offload/worker-pool.ts';
import { OverloadError } from '../server/protection/overload.ts';
import { QueueJobFailedError, QueueUnavailableError } from '../server/queue/errors.ts';
import { createRegistry } from '../server/workloads/registry.ts';
import { resolveWorkload } from '../server/workloads/resolve.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * Walks the error registry (lib/error-codes.ts): each code is answered with its status and message, and
 * counted under its reason label in /metrics, where the harness and any scraper read it.
 */
const codeError = (code: string) => Object.assign(new Error(code), { code });

/** A failure of each code as a dependency raises it, with the workload it failed in. */
const CAUSES: Partial<Record<ErrorCode, [workload: string, cause: Error]>> = {
  OVERLOADED: ['hash', new OverloadError('worker pool')],
  WORKER_CRASHED: ['cpu', new WorkerCrashError(new Error('killed'))],
  QUEUE_UNAVAILABLE: ['hash', new QueueUnavailableError(new Error('ECONNREFUSED'))],
  QUEUE_JOB_FAILED: ['db', new QueueJobFailedError('stalled')],
  UPSTREAM_STATUS: ['fetch', new UpstreamStatusError(500)],
  UPSTREAM_TIMEOUT: ['fetch', codeError('UND_ERR_HEADERS_TIMEOUT')],
  UPSTREAM_UNREACHABLE: ['fetch', codeError('ECONNREFUSED')],
  DB_TIMEOUT: ['db', new SyncIoTimeoutError('timed out')],
  DB_UNAVAILABLE: ['db', new DbUnavailableError()],
  INTERNAL: ['cpu', new TypeError('x is undefined')],
};
/** Raised by the workload route itself (deadline, hang-up, load shedding), not mapped from a cause. */
const RAISED_BY_ROUTE: ErrorCode[] = ['DEADLINE', 'CLIENT_CLOSED', 'UNDER_PRESSURE'];

const ENTRIES = Object.entries(ERROR_CODES) as [ErrorCode, ErrorCodeSpec][];

describe('the error registry', () => {
  it('has a cause or a route for every code, so no code goes untested', () => {
    expect([...Object.keys(CAUSES), ...RAISED_BY_ROUTE].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it.each(ENTRIES.filter(([code]) => CAUSES[code]))(
    'maps %s to its status, message, Retry-After and reason label',
    (code, spec) => {
      const [workload, cause] = CAUSES[code] as [string, Error];
      const error = toHttpError(workload, cause);
      expect(error.status).toBe(spec.status);
      expect(error.code).toBe(code);
      expect(error.toBody()['error']).toBe(typeof spec.message === 'string' ? spec.message : spec.message(cause));
      expect(error.headers['Retry-After']).toBe(spec.retryAfter ? '1' : undefined);
      expect(failureReason(error)).toBe(spec.reason);
    },
  );

  it.each(RAISED_BY_ROUTE)('answers %s with its status and reason label', (code) => {
    const error = httpErrorFor(code);
    expect(error.status).toBe(ERROR_CODES[code].status);
    expect(failureReason(error)).toBe(ERROR_CODES[code].reason);
  });
});

/** A workload whose async form fails the way its `fail` parameter says (a dependency's own error). */
const failing = resolveWorkload(
  {
    name: 'failing',
    summary: 'throws the error its parameter names',
    params: { fail: { kind: 'enum', values: ['overloaded', 'crash', 'queue', 'job', 'bug'], default: 'bug' } },
    async async({ fail }: { fail: string }) {
      if (fail === 'overloaded') throw new OverloadError('database pool');
      if (fail === 'crash') throw new WorkerCrashError(new Error('killed'));
      if (fail === 'queue') throw new QueueUnavailableError(new Error('ECONNREFUSED'));
      if (fail === 'job') throw new QueueJobFailedError('stalled');
      throw new TypeError('x is undefined');
    },
  },
  'test',
);

describe('the error registry, through the real app', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ workloads: createRegistry([failing]) });
  });
  afterAll(() => app.close());

  it.each([
    ['overloaded', 'OVERLOADED'],
    ['crash', 'WORKER_CRASHED'],
    ['queue', 'QUEUE_UNAVAILABLE'],
    ['job', 'QUEUE_JOB_FAILED'],
    ['bug', 'INTERNAL'],
  ] as const)('answers fail=%s with %s’s status and counts it under its reason in /metrics', async (fail, code) => {
    const spec: ErrorCodeSpec = ERROR_CODES[code];
    const res = await app.get(`/failing/async?fail=${fail}`);
    expect(res.status).toBe(spec.status);
    const body = (await res.json()) as Record<string, unknown>;
    if (spec.codeInBody) expect(body['code']).toBe(code);
    const metrics = await (await app.get('/metrics')).text();
    expect(metrics).toMatch(
      new RegExp(
        `^looplab_request_failures_total\\{workload="failing",mode="async",reason="${spec.reason}"\\} 1$`,
        'm',
      ),
    );
    expect(metrics).toMatch(new RegExp(`^# HELP looplab_request_failures_total .*\\b${spec.reason} \\(`, 'm'));
  });
});
