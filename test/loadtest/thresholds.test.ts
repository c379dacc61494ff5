import { describe, expect, it } from 'vitest';
import { evaluateThreshold, parseThreshold, ThresholdError } from '../../loadtest/thresholds.ts';
import { fixedResults } from './fixture-results.ts';

describe('parseThreshold', () => {
  it('reads a scaled comparison between two scenarios', () => {
    expect(parseThreshold('hash.worker.rps >= 1.5*hash.blocking.rps')).toMatchObject({
      left: { workload: 'hash', mode: 'worker', metric: 'rps' },
      op: '>=',
      factor: 1.5,
      right: { workload: 'hash', mode: 'blocking', metric: 'rps' },
    });
  });

  it('reads a comparison with a number', () => {
    expect(parseThreshold('fetch.async.p99<300')).toMatchObject({ op: '<', factor: 300, right: null });
  });

  it.each([
    ['fetch.async.p99', /no comparison/],
    ['fetch.async<300', /not workload.mode.metric/],
    ['redis.async.p99<3', /unknown workload "redis"/],
    ['fetch.threads.p99<3', /unknown mode "threads"/],
    ['fetch.async.p42<3', /unknown metric "p42"/],
    ['fetch.async.p99<x*y', /right side/],
  ])('refuses %j', (source, message) => {
    expect(() => parseThreshold(source)).toThrow(ThresholdError);
    expect(() => parseThreshold(source)).toThrow(message);
  });
});

describe('evaluateThreshold', () => {
  const results = fixedResults();

  it('passes when the relation holds and says by how much', () => {
    const outcome = evaluateThreshold(parseThreshold('fetch.async.rps>=10*fetch.blocking.rps'), results);
    expect(outcome.passed).toBe(true);
    expect(outcome.detail).toBe('c=20: 380.00 >= 160.00 ok');
  });

  it('fails when it does not', () => {
    const outcome = evaluateThreshold(parseThreshold('hash.worker.rps>=2*hash.blocking.rps'), results);
    expect(outcome.passed).toBe(false);
    expect(outcome.detail).toContain('FAILED');
  });

  it('fails a threshold about scenarios that were not run', () => {
    const outcome = evaluateThreshold(parseThreshold('db.async.p99<300'), results);
    expect(outcome).toEqual({ source: 'db.async.p99<300', passed: false, detail: 'no scenario measured both sides' });
  });
});
