import { describe, expect, it } from 'vitest';
import { compareContext } from '../../loadtest/analyse/compare-context.ts';
import type { Results } from '../../loadtest/types.ts';
import { fixedResults } from '../loadtest/fixture-results.ts';

/** Two runs made the same way, then `change` applied to the current one. */
function differences(change: (r: Results) => void, changeBefore: (r: Results) => void = () => {}): string[] {
  const previous = fixedResults();
  const current = fixedResults();
  changeBefore(previous);
  change(current);
  return compareContext(current, previous);
}

describe('what differs between a run and the one it is compared with', () => {
  it('is nothing for two runs made the same way, and nothing without an earlier run', () => {
    expect(differences(() => {})).toEqual([]);
    expect(compareContext(fixedResults(), undefined)).toEqual([]);
  });

  it('names a changed warm-up, /health probe rate or machine, each with both values', () => {
    expect(
      differences((r) => {
        r.options.warmup = r.options.warmup + 2;
        r.options.probeRate = r.options.probeRate * 2;
        r.environment.cpus = 8;
      }).map((line) => line.split(':')[0]),
    ).toEqual(['warm-up', '/health probe rate', 'machine']);
    expect(differences((r) => void (r.environment.cpus = 8))).toEqual([
      'machine: Fixture CPU, 2 cores, 24 GiB → Fixture CPU, 8 cores, 24 GiB',
    ]);
  });

  it('reads a results file from before --generators as one generator, so it is no difference from one', () => {
    const withoutGenerators = (r: Results) => {
      delete (r.options as Partial<Results['options']>).generators;
    };
    expect(differences((r) => void (r.options.generators = 1), withoutGenerators)).toEqual([]);
    expect(differences((r) => void (r.options.generators = 2), withoutGenerators)).toEqual(['load generators: 1 → 2']);
  });

  it('compares the commit by its first ten characters', () => {
    expect(differences((r) => void (r.environment.gitCommit = '0123456789abcdef'))).toEqual([
      'commit: abcdef1234 → 0123456789',
    ]);
    expect(differences((r) => void (r.environment.gitCommit = null))).toEqual(['commit: abcdef1234 → unknown']);
  });

  it('compares a run without the server’s facts (--url on a server that gives none) without failing', () => {
    const noFacts = (r: Results) => void (r.environment.server = null);
    expect(differences(noFacts, noFacts)).toEqual([]);
    const lines = differences(noFacts);
    // Every server fact is then unknown, and the queue off.
    expect(lines).toContain(`workers: ${fixedResults().environment.server?.workers} → unknown`);
    expect(lines.filter((l) => l.endsWith('→ unknown')).map((l) => l.split(':')[0])).toEqual([
      'workers',
      'DB pool',
      'worker DB pool',
      'UV_THREADPOOL_SIZE',
      'server Node',
    ]);
  });

  it('names the queue backends swept, and none given as the server’s choice', () => {
    expect(differences((r) => void (r.options.queueBackends = []))).toEqual([]);
    // A results file from before --queue-backends has no such field: the same as none given.
    const withoutField = (r: Results) => void delete r.options.queueBackends;
    expect(differences((r) => void (r.options.queueBackends = []), withoutField)).toEqual([]);
    expect(differences((r) => void (r.options.queueBackends = ['postgres', 'redis']))).toEqual([
      'queue backends: as the server chose → postgres, redis',
    ]);
  });
});
