import type { Profiler } from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { attribute, type Tallies } from '../stall-blame/attribute.ts';
import { resolveOptions } from '../stall-blame/blame.ts';
import { blameLines } from '../stall-blame/report.ts';

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, scriptId: '0', url, lineNumber, columnNumber: 0 });

/** root → handler (user) → pbkdf2Sync (node) → run (native); root → (garbage collector); root → (idle). */
const profile: Profiler.Profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('handler', '/srv/app.js', 9), children: [3] },
    { id: 3, callFrame: frame('pbkdf2Sync', 'node:internal/crypto/pbkdf2', 40), children: [4] },
    { id: 4, callFrame: frame('run') },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('(idle)') },
  ],
  startTime: 1_000,
  endTime: 200_000,
  // Samples at 2 000, 3 000 (native, 97 ms until the next), 100 000 (GC), 110 000 (idle).
  samples: [6, 4, 5, 6],
  timeDeltas: [1_000, 1_000, 97_000, 10_000],
};

describe('attribute', () => {
  it('weighs samples by the time to the next one and clips them to the stall windows', () => {
    const tallies: Tallies = new Map();
    const covered = attribute(profile, [{ startUs: 2_500, endUs: 105_000 }], tallies);
    const lines = blameLines(tallies);
    expect(lines).toEqual([
      { frame: 'handler', file: '/srv/app.js', line: 10, context: 'pbkdf2Sync', ms: 97, share: 0.951 },
      { frame: '(garbage collector)', file: null, line: null, context: null, ms: 5, share: 0.049 },
    ]);
    // 0.5 ms of the idle sample at 2 000 falls inside the window: covered, but nothing to blame.
    expect(covered).toEqual({ coveredUs: 102_500, idleUs: 500 });
  });

  it('charges nothing outside the windows', () => {
    const tallies: Tallies = new Map();
    expect(attribute(profile, [], tallies)).toEqual({ coveredUs: 0, idleUs: 0 });
    expect(tallies.size).toBe(0);
  });
});

describe('options', () => {
  it('refuses a threshold that is not above the heartbeat, naming both', () => {
    expect(() => resolveOptions({ thresholdMs: 5, heartbeatMs: 5 })).toThrow(
      'stall-blame: options.heartbeatMs (5) must be below options.thresholdMs (5)',
    );
  });

  it('refuses a sampling interval out of range, naming it and the range', () => {
    expect(() => resolveOptions({ samplingIntervalUs: 10 })).toThrow(
      'stall-blame: options.samplingIntervalUs must be a whole number of µs in 50..100000 (got 10)',
    );
  });
});
