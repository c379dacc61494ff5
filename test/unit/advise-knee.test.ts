import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../loadtest/advise/evidence.ts';
import { inFlightAdvice, KNEE_SHARE, kneeOf, poolKnee } from '../../loadtest/advise/knee.ts';

const point = (x: number, rps: number) => ({ x, rps, p99Ms: null });

/** A screen's evidence row with only what the pool-size curve reads: the candidate, its req/s and p99. */
const screened = (mode: string, workers: number | undefined, rps: number): Evidence =>
  ({ candidate: workers === undefined ? { mode } : { mode, workers }, rps: [rps], p99Ms: 10 }) as Evidence;

/** The edges of the knee rule that the mutation run (docs/lab-notes/2026-12-07-mutation.md) found unpinned. */
describe('the knee of a curve', () => {
  it('reads the curve in order of its setting, whatever order the runs came in', () => {
    const knee = kneeOf([point(4, 200), point(1, 100), point(2, 195)]);
    expect(knee?.points.map((p) => p.x)).toEqual([1, 2, 4]);
    expect(knee?.at.x).toBe(2);
    expect(knee?.last.x).toBe(4);
  });

  it('has a knee with two settings, and none with one', () => {
    expect(kneeOf([point(1, 100), point(2, 200)])?.at.x).toBe(2);
    expect(kneeOf([point(1, 100)])).toBeNull();
    expect(inFlightAdvice([{ ...point(1, 100), p50Ms: 10 }])).toBeNull();
  });

  it('puts the peak at the fewest settings when two tie for the best', () => {
    expect(kneeOf([point(1, 50), point(2, 100), point(4, 100)])?.peak.x).toBe(2);
  });

  it('counts a setting exactly at the knee share of the best as the knee', () => {
    expect(KNEE_SHARE * 100).toBe(90);
    expect(kneeOf([point(1, 90), point(2, 100)])?.at.x).toBe(1);
    expect(kneeOf([point(1, 89.9), point(2, 100)])?.at.x).toBe(2);
  });

  it('draws the pool-size curve from worker pools only: not async, not a queue, not a pool without a size, not a refused one', () => {
    const table = [
      screened('worker', 1, 100),
      screened('worker', 2, 190),
      screened('async', undefined, 500),
      screened('queue', 8, 900),
      screened('worker', undefined, 800),
      screened('worker', 4, 1000),
    ];
    const refused = table[5];
    const knee = poolKnee(table, (e) => e !== refused);
    expect(knee?.points.map((p) => p.x)).toEqual([1, 2]);
    expect(knee?.peak.rps).toBe(190);
  });

  it('leaves pools with several tasks per thread off the pool-size curve: they are another curve, not a point on it', () => {
    const c4 = { candidate: { mode: 'worker', workers: 2, concurrency: 4 }, rps: [700], p99Ms: 10 } as Evidence;
    const knee = poolKnee([screened('worker', 1, 100), screened('worker', 2, 190), c4], () => true);
    expect(knee?.points).toEqual([
      { x: 1, rps: 100, p99Ms: 10 },
      { x: 2, rps: 190, p99Ms: 10 },
    ]);
  });
});
