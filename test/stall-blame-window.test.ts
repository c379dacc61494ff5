import { describe, expect, it } from 'vitest';
import { FIXED_PROFILE } from './helpers/blame-profile.ts';
import { attribute, newStall, type Stall } from '../stall-blame/attribute.ts';
import { answer } from '../stall-blame/endpoint.ts';
import { createHistory, HISTORY } from '../stall-blame/history.ts';
import { buildReport, type BlameReport } from '../stall-blame/report.ts';
import { summarize } from '../stall-blame/summary.ts';

const profile = FIXED_PROFILE;

/** A: 2 500–4 000 (0.5 ms idle, 1 ms handler); B: 100 000–103 000 (3 ms GC); C: 110 000–150 000 (40 ms idle). */
function stalls(): Stall[] {
  const all = [
    newStall({ startUs: 2_500, endUs: 4_000 }),
    newStall({ startUs: 100_000, endUs: 103_000 }),
    newStall({ startUs: 110_000, endUs: 150_000 }),
  ];
  attribute(profile, all);
  return all;
}

const OPTIONS = { stallThresholdMs: 1, samplingIntervalUs: 1000, heartbeatMs: 1, segmentMs: 1000 };
const WINDOW = { startedAt: '', endedAt: '', ms: 0, fromUs: 0, toUs: 0 };

function reportOf(fromUs: number, toUs: number, limits = HISTORY, nowUs = 150_000): BlameReport {
  const history = createHistory(0, limits);
  for (const stall of stalls()) history.add(stall, nowUs);
  const selected = history.select(fromUs, toUs);
  return buildReport(summarize(selected.stalls), {
    window: WINDOW,
    options: OPTIONS,
    complete: selected.complete,
    profiler: selected.rotations,
  });
}

describe('windowed reports', () => {
  it('counts only the stalls that started in the span, with their own samples', () => {
    expect(reportOf(0, 50_000)).toMatchObject({
      stalls: 1,
      stallMs: 1.5,
      longestStallMs: 1.5,
      sampledMs: 1.5,
      idleMs: 0.5,
      complete: true,
      culprits: [{ frame: 'handler', context: 'pbkdf2Sync', ms: 1, share: 1 }],
    });
    expect(reportOf(4_000, 200_000)).toMatchObject({
      stalls: 2,
      stallMs: 43,
      longestStallMs: 40,
      sampledMs: 43,
      idleMs: 40,
      culprits: [{ frame: '(garbage collector)', ms: 3, share: 1 }],
    });
  });

  it('gives a stall to the span it started in, never to two', () => {
    // B starts at 100 000: in [100 000, 100 001), not in [0, 100 000) although it runs on past it.
    expect(reportOf(0, 100_000).stalls).toBe(1);
    expect(reportOf(100_000, 100_001)).toMatchObject({ stalls: 1, stallMs: 3 });
    expect(reportOf(150_000, 200_000)).toMatchObject({ stalls: 0, stallMs: 0, culprits: [] });
  });

  it('drops stalls older than the kept history and says a span reaching back there is incomplete', () => {
    const limits = { ...HISTORY, retainUs: 50_000 };
    // At 160 000 the history keeps what ended after 110 000: C only; A and B (ended 103 000) are dropped.
    expect(reportOf(0, 200_000, limits, 160_000)).toMatchObject({ stalls: 1, stallMs: 40, complete: false });
    expect(reportOf(103_000, 200_000, limits, 160_000)).toMatchObject({ stalls: 1, complete: true });
    expect(reportOf(0, 200_000, { ...HISTORY, maxStalls: 2 })).toMatchObject({
      stalls: 2,
      stallMs: 43,
      complete: false,
    });
  });

  it('adds up the rotations made in the span', () => {
    const history = createHistory(0);
    history.addRotation(1_000, 0.5);
    history.addRotation(2_000, 2);
    history.addRotation(3_000, 1);
    expect(history.select(1_500, 3_000).rotations).toEqual({ rotations: 1, maxMs: 2, totalMs: 2 });
  });
});

describe('the blame endpoint', () => {
  const seen: [number, number][] = [];
  const blame = {
    snapshot: () => ({ whole: true }) as unknown as BlameReport,
    mark: () => 42,
    window: (fromUs: number, toUs: number) => {
      seen.push([fromUs, toUs]);
      return { fromUs, toUs } as unknown as BlameReport;
    },
  };

  it('answers a mark, a window and the whole report', () => {
    expect(answer(blame, 'GET', '/mark')).toEqual({ status: 200, body: { now: 42 } });
    expect(answer(blame, 'GET', '/?from=10&to=20')).toEqual({ status: 200, body: { fromUs: 10, toUs: 20 } });
    expect(seen).toEqual([[10, 20]]);
    expect(answer(blame, 'GET', '/')).toEqual({ status: 200, body: { whole: true } });
  });

  it('refuses a bad span with 400, naming the field and the range', () => {
    expect(answer(blame, 'GET', '/?from=1.5&to=20')).toEqual({
      status: 400,
      body: { error: 'from must be a whole number of µs (from GET /mark), 0..9007199254740991 (got "1.5")' },
    });
    expect(answer(blame, 'GET', '/?from=10')).toEqual({
      status: 400,
      body: { error: 'to is required with from: both are µs from GET /mark' },
    });
    expect(answer(blame, 'GET', '/?from=30&to=20')).toEqual({
      status: 400,
      body: { error: 'to (20) must not be before from (30)' },
    });
    expect(answer(blame, 'GET', '/?from=-1&to=20').status).toBe(400);
  });

  it('answers 404 for another path and 405 for another method', () => {
    expect(answer(blame, 'GET', '/metrics').status).toBe(404);
    expect(answer(blame, 'POST', '/mark').status).toBe(405);
  });
});
