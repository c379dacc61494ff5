import { describe, expect, it } from 'vitest';
import { FIXED_PROFILE } from './helpers/blame-profile.ts';
import { attribute, newStall } from '../stall-blame/attribute.ts';
import { culpritOf } from '../stall-blame/frames.ts';
import { resolveOptions } from '../stall-blame/blame.ts';
import { blameLines } from '../stall-blame/report.ts';

const profile = FIXED_PROFILE;

describe('attribute', () => {
  it('weighs samples by the time to the next one and clips them to the stall windows', () => {
    const stall = newStall({ startUs: 2_500, endUs: 105_000 });
    attribute(profile, [stall]);
    const lines = blameLines(stall.tallies);
    expect(lines).toEqual([
      { frame: 'handler', file: '/srv/app.js', line: 10, context: 'pbkdf2Sync', ms: 97, share: 0.951 },
      { frame: '(garbage collector)', file: null, line: null, context: null, ms: 5, share: 0.049 },
    ]);
    // 0.5 ms of the idle sample at 2 000 falls inside the window: covered, but nothing to blame.
    expect(stall).toMatchObject({ coveredUs: 102_500, idleUs: 500 });
  });

  it('charges each stall only its own samples', () => {
    // 3 000..4 000 and 100 000..103 000: the native sample's first millisecond, then 3 ms of GC.
    const stalls = [newStall({ startUs: 3_000, endUs: 4_000 }), newStall({ startUs: 100_000, endUs: 103_000 })];
    attribute(profile, stalls);
    expect(blameLines(stalls[0]!.tallies)).toEqual([
      { frame: 'handler', file: '/srv/app.js', line: 10, context: 'pbkdf2Sync', ms: 1, share: 1 },
    ]);
    expect(blameLines(stalls[1]!.tallies)).toEqual([
      { frame: '(garbage collector)', file: null, line: null, context: null, ms: 3, share: 1 },
    ]);
  });

  it('charges no culprit for a stall that was a wait for a CPU', () => {
    const stall = newStall({ startUs: 1_500, endUs: 11_000, waitedForCpu: true });
    attribute(profile, [stall]);
    expect(stall.tallies.size).toBe(0);
    // No sample before 2 000; 2 000..3 000 idle, 3 000..11 000 the native sample: the wait.
    expect(stall).toMatchObject({ coveredUs: 9_000, idleUs: 1_000, cpuWaitUs: 8_000 });
  });

  it('charges nothing outside the windows', () => {
    const stall = newStall({ startUs: 150_000, endUs: 150_000 });
    attribute(profile, [stall]);
    expect(stall).toMatchObject({ coveredUs: 0, idleUs: 0 });
    expect(stall.tallies.size).toBe(0);
  });
});

describe('options', () => {
  it('refuses a threshold that is not above the heartbeat, naming both', () => {
    expect(() => resolveOptions({ stallThresholdMs: 5, heartbeatMs: 5 })).toThrow(
      'stall-blame: options.heartbeatMs (5) must be below options.stallThresholdMs (5)',
    );
  });

  it('samples four times per threshold-long stall by default, never faster than every 2 ms, unless told', () => {
    expect(resolveOptions({}).samplingIntervalUs).toBe(5_000);
    expect(resolveOptions({ stallThresholdMs: 50 }).samplingIntervalUs).toBe(12_500);
    expect(resolveOptions({ stallThresholdMs: 5 }).samplingIntervalUs).toBe(2_000);
    expect(resolveOptions({ stallThresholdMs: 60_000 }).samplingIntervalUs).toBe(100_000);
    expect(resolveOptions({ stallThresholdMs: 50, samplingIntervalUs: 1_000 }).samplingIntervalUs).toBe(1_000);
  });

  it('refuses a sampling interval out of range, naming it and the range', () => {
    expect(() => resolveOptions({ samplingIntervalUs: 10 })).toThrow(
      'stall-blame: options.samplingIntervalUs must be a whole number of µs in 50..100000 (got 10)',
    );
  });
});

/** A profiler call frame: a function at a line of a script, as the inspector's profile gives it. */
const frame = (functionName: string, url: string, lineNumber = 4) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
  scriptId: '1',
});

describe('the context of a culprit', () => {
  it("names the zlib call a user made, not zlib's generic wrapper (seen in a real run: buildReport ← syncBufferWrapper)", () => {
    const stack = [
      frame('(root)', '', -1),
      frame('buildReport', '/srv/report.js'),
      frame('syncBufferWrapper', 'node:zlib'),
    ];
    expect(culpritOf(stack)).toMatchObject({
      frame: 'buildReport',
      context: 'a zlib *Sync call (gzipSync, deflateSync, brotliCompressSync, …)',
    });
  });
  it.each([
    [
      '',
      'node:internal/crypto/cipher',
      'a crypto RSA call (publicEncrypt, privateDecrypt, privateEncrypt, publicDecrypt)',
    ],
    ['signOneShot', 'node:internal/crypto/sig', 'crypto.sign'],
    ['verifyOneShot', 'node:internal/crypto/sig', 'crypto.verify'],
  ])(
    'names the crypto call a user made when Node names it otherwise (%j in %s, as a real profile shows)',
    (name, url, context) => {
      const stack = [frame('(root)', '', -1), frame('handler', '/srv/app.js'), frame(name, url)];
      expect(culpritOf(stack)).toMatchObject({ frame: 'handler', context });
    },
  );
  it('keeps a public name as it is', () => {
    const stack = [
      frame('(root)', '', -1),
      frame('slowDigest', '/srv/app.js'),
      frame('pbkdf2Sync', 'node:internal/crypto/pbkdf2'),
    ];
    expect(culpritOf(stack)?.context).toBe('pbkdf2Sync');
  });
});

describe('a wait in the sync bridge', () => {
  const bridge = new URL('../server/offload/sync-io.ts', import.meta.url).href;
  it("is blamed on the workload's synchronous call, with the chain down to the wait as context", () => {
    const stack = [
      frame('(root)', '', -1),
      frame('fetchBlocking', '/srv/looplab/server/workloads/fetch.ts', 80),
      frame('fetch', bridge, 50),
      frame('call', bridge, 34),
      frame('wait', '', -1),
    ];
    expect(culpritOf(stack)).toMatchObject({
      frame: 'fetchBlocking',
      line: 81,
      context: "wait ← call ← fetch (looplab's sync bridge)",
    });
  });
});
