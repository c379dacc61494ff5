import { expect, it } from 'vitest';
import { createOutcomeLog, isOk, type Outcome } from '../../loadtest/measure/outcome-log.ts';

/**
 * README, How the numbers are made: req/s counts 2xx answers only — "a fast 503 is never throughput:
 * failed/s counts non-2xx answers, connection errors and timeouts" — and the p50/p99 are "of the 2xx
 * answers only", failures having their own histogram. Each way a request can end, sorted by hand.
 * (Rules found untested by mutation testing: `npm run test:mutation`.)
 */
it('counts only 2xx as a success: 199 and 300 are not, nor an error or a timeout', () => {
  const cases: Array<[Outcome, boolean]> = [
    [199, false],
    [200, true],
    [204, true],
    [299, true],
    [300, false],
    [503, false],
    ['error', false],
    ['timeout', false],
  ];
  expect(cases.map(([outcome]) => isOk(outcome))).toEqual(cases.map(([, ok]) => ok));
});

it('sorts every ending into ok, non-2xx, errors and timeouts, and keeps the latencies of each side apart', () => {
  const log = createOutcomeLog(0);
  log.record(200, 10, 100);
  log.record(299, 20, 200);
  log.record(503, 1, 300);
  log.record(404, 2, 400);
  log.record('error', null, 500);
  log.record('timeout', 40_000, 600);
  log.record('timeout', 40_000, 700);
  expect(log.counts).toEqual({ ok: 2, non2xx: 2, errors: 1, timeouts: 2, statuses: { 404: 1, 503: 1 } });
  // 2xx latencies: 10 and 20 ms; failures: 1, 2, 40 000, 40 000 ms (the error had none).
  expect(log.ok.summary()).toMatchObject({ n: 2, max: 20 });
  expect(log.failed.summary()).toMatchObject({ n: 4 });
  expect(log.timeline(1)[0]).toMatchObject({ ok: 2, failed: 5 });
});

it('counts an answer that ended exactly at the window’s end as within it, and none after', () => {
  const log = createOutcomeLog(1000);
  log.record(200, 5, 1000 + 2000);
  log.record(200, 5, 1000 + 2000.5);
  log.record(503, 5, 1000 + 10);
  expect(log.okWithin(2000)).toBe(1);
  expect(log.okWithin(1999.9)).toBe(0);
  expect(log.okWithin(3000)).toBe(2);
});

it('has no percentiles for a second in which nothing succeeded', () => {
  const log = createOutcomeLog(0);
  log.record(503, 3, 10);
  expect(log.timeline(1)[0]).toMatchObject({ ok: 0, failed: 1, p50: null, p99: null });
});

it("adds another generator's endings of every kind, failures' latencies included", () => {
  const a = createOutcomeLog(0);
  const b = createOutcomeLog(0);
  a.record(200, 10, 100);
  a.record('timeout', 40_000, 200);
  b.record('timeout', 40_000, 300);
  b.record('error', null, 400);
  b.record(503, 7, 500);
  b.record(200, 30, 600);
  a.absorb(b.data());
  expect(a.counts).toEqual({ ok: 2, non2xx: 1, errors: 1, timeouts: 2, statuses: { 503: 1 } });
  expect(a.failed.summary()).toMatchObject({ n: 3 });
  expect(a.ok.summary()).toMatchObject({ n: 2, max: 30 });
  expect(a.okWithin(600)).toBe(2);
});
