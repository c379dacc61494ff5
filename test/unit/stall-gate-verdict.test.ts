import { describe, expect, it } from 'vitest';
import { allowedBy, globToRegExp, parseGateConfig } from '../../stall-blame/gate/config.ts';
import { GATE_RECORD_SCHEMA, type GateRecord, type GateStall } from '../../stall-blame/gate/record.ts';
import { judge, renderVerdict } from '../../stall-blame/gate/verdict.ts';

const stall = (frame: string, file: string | null, ms: number, extra: Partial<GateStall> = {}): GateStall => ({
  ms,
  culprit: { frame, file, line: 3, context: null, ms },
  test: null,
  waitedForCpu: false,
  ...extra,
});

const record = (stalls: GateStall[], thread = 'main thread'): GateRecord => ({
  schema: GATE_RECORD_SCHEMA,
  pid: 7,
  thread,
  command: '/x/forks.js',
  stallThresholdMs: 50,
  stalls,
  dropped: 0,
});

describe('the gate config', () => {
  it('matches * within a folder, ** across folders and ? as one character', () => {
    expect(globToRegExp('src/*.js').test('src/a.js')).toBe(true);
    expect(globToRegExp('src/*.js').test('src/lib/a.js')).toBe(false);
    expect(globToRegExp('src/**/a.js').test('src/a.js')).toBe(true);
    expect(globToRegExp('src/**/a.js').test('src/x/y/a.js')).toBe(true);
    expect(globToRegExp('a?.js').test('ab.js')).toBe(true);
    expect(globToRegExp('a.js').test('abjs')).toBe(false);
  });

  it('allows a stall only when every pattern of an entry matches', () => {
    const config = parseGateConfig({ allow: [{ file: 'src/*.js', function: 'load*' }] }, 'g.json');
    expect(allowedBy(config, 'loadFixtures', 'src/a.js')).toBeDefined();
    expect(allowedBy(config, 'render', 'src/a.js')).toBeUndefined();
    expect(allowedBy(config, 'loadFixtures', 'test/a.js')).toBeUndefined();
  });

  it.each([
    [[], 'g.json: must be a JSON object'],
    [{ allowed: [] }, 'g.json: unknown field "allowed" (the fields: stallThresholdMs, allow)'],
    [{ stallThresholdMs: 1 }, 'g.json: stallThresholdMs must be a whole number of ms in 2..60000 (got 1)'],
    [{ allow: [{ reason: 'x' }] }, 'g.json: allow[0] needs "file" or "function"'],
    [
      { allow: [{ file: 'a', line: 3 }] },
      'g.json: allow[0] has unknown field "line" (the fields: file, function, reason)',
    ],
    [{ allow: [{ file: '' }] }, 'g.json: allow[0].file must be a non-empty string'],
  ])('refuses %j in one sentence naming the field', (data, message) => {
    expect(() => parseGateConfig(data, 'g.json')).toThrow(`looplab gate: ${message}`);
  });
});

describe('the verdict', () => {
  it('fails on a stall in the project code, adding up its count and ms over threads', () => {
    const verdict = judge(
      [record([stall('slow', 'src/a.js', 120)]), record([stall('slow', 'src/a.js', 80)], 'worker thread 2')],
      { allow: [] },
      50,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.denied).toMatchObject([
      { frame: 'slow', file: 'src/a.js', line: 3, count: 2, ms: 200, longestMs: 120 },
    ]);
    expect(verdict.denied[0]?.where).toEqual([
      'main thread of pid 7 (forks.js)',
      'worker thread 2 of pid 7 (forks.js)',
    ]);
    expect(renderVerdict(verdict)).toContain('looplab gate: FAILED');
  });

  it('does not count library code, Node internals, waits for a CPU or slivers below half the threshold', () => {
    const verdict = judge(
      [
        record([
          stall('compile', 'node_modules/vite/x.js', 300),
          stall('readFileSync', 'node:fs', 90),
          stall('slow', 'src/a.js', 200, { waitedForCpu: true }),
          stall('slow', 'src/a.js', 600, {
            culprit: { frame: 'slow', file: 'src/a.js', line: 3, context: null, ms: 10 },
          }),
        ]),
      ],
      { allow: [] },
      50,
    );
    expect(verdict.passed).toBe(true);
    expect(verdict.elsewhere).toEqual({ count: 4, ms: 1190 });
  });

  it('passes when every stall in the project code is allowed, and lists them with the reason', () => {
    const verdict = judge(
      [record([stall('slow', 'src/a.js', 120)])],
      { allow: [{ function: 'slow', reason: 'known' }] },
      50,
    );
    expect(verdict.passed).toBe(true);
    expect(renderVerdict(verdict)).toMatch(/Allowed by the allowlist:\n {2}slow src\/a\.js:3 .* — allowed: known/);
  });
});
