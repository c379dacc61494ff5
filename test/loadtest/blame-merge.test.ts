import { describe, expect, it } from 'vitest';
import { mergeCulprits, mergeProcessBlame } from '../../loadtest/measure/blame-merge.ts';
import type { ProcessBlame } from '../../loadtest/measure/blame-window.ts';
import { blameLines, scenarioBlame } from '../../loadtest/report/blame-line.ts';
import type { RunMeasurement } from '../../loadtest/types.ts';

const line = (frame: string, fileLine: number | null, context: string | null, ms: number) => ({
  frame,
  file: fileLine === null ? null : 'w.ts',
  line: fileLine,
  context,
  ms,
  share: 0,
});

/** Two processes over one 10 s window, figures chosen by hand. */
const A: ProcessBlame = {
  pid: 11,
  url: 'http://127.0.0.1:1',
  stallThresholdMs: 20,
  windowMs: 10_000,
  stalls: 30,
  stallMs: 900,
  longestStallMs: 80,
  cpuWaitMs: 50,
  sampledMs: 880,
  idleMs: 10,
  complete: true,
  error: null,
  culprits: [
    line('digest', 19, 'pbkdf2Sync', 600),
    line('parse', 40, null, 200),
    line('(garbage collector)', null, null, 20),
  ],
};
const B: ProcessBlame = {
  pid: 22,
  url: 'http://127.0.0.1:2',
  stallThresholdMs: 20,
  windowMs: 10_000,
  stalls: 10,
  stallMs: 300,
  longestStallMs: 120,
  cpuWaitMs: 0,
  sampledMs: 290,
  idleMs: 5,
  complete: false,
  error: null,
  // The same function seen calling something else: still one culprit, with the context seen longest.
  culprits: [line('digest', 19, '(program)', 250), line('digest', 20, 'pbkdf2Sync', 30)],
};

describe("merging the blame of a cluster's processes", () => {
  it("adds up a culprit by function, file and line, keeps each process's ms and recomputes the share", () => {
    const merged = mergeCulprits([A, B]);
    // Blamed in all: 600 + 200 + 20 + 250 + 30 = 1100 ms.
    expect(merged).toEqual([
      {
        frame: 'digest',
        file: 'w.ts',
        line: 19,
        context: 'pbkdf2Sync',
        ms: 850,
        share: 0.773,
        byProcess: [
          { pid: 11, ms: 600 },
          { pid: 22, ms: 250 },
        ],
      },
      {
        frame: 'parse',
        file: 'w.ts',
        line: 40,
        context: null,
        ms: 200,
        share: 0.182,
        byProcess: [{ pid: 11, ms: 200 }],
      },
      {
        frame: 'digest',
        file: 'w.ts',
        line: 20,
        context: 'pbkdf2Sync',
        ms: 30,
        share: 0.027,
        byProcess: [{ pid: 22, ms: 30 }],
      },
      {
        frame: '(garbage collector)',
        file: null,
        line: null,
        context: null,
        ms: 20,
        share: 0.018,
        byProcess: [{ pid: 11, ms: 20 }],
      },
    ]);
  });

  it('adds stalls, stall time and the window, takes the longest stall of any, and is complete only if each was', () => {
    const run = mergeProcessBlame(
      'http://127.0.0.1:9/processes',
      [A, B],
      [{ pid: 33, reason: 'exited within the window' }],
      2,
    );
    expect(run).toMatchObject({
      url: 'http://127.0.0.1:9/processes',
      stallThresholdMs: 20,
      windowMs: 20_000,
      stalls: 40,
      stallMs: 1200,
      longestStallMs: 120,
      cpuWaitMs: 50,
      sampledMs: 1170,
      idleMs: 15,
      complete: false,
      error: null,
      unread: [{ pid: 33, reason: 'exited within the window' }],
    });
    expect(run.culprits.map((c) => c.ms)).toEqual([850, 200]);
    expect(run.processes?.map((p) => [p.pid, p.culprits.length])).toEqual([
      [11, 2],
      [22, 2],
    ]);
  });

  it('prints the merge, a line per pid, and one line naming the process it could not read', () => {
    const blame = mergeProcessBlame(
      'http://127.0.0.1:9/processes',
      [A, B],
      [{ pid: 33, reason: 'exited within the window' }],
      10,
    );
    const lines = blameLines('blocking', scenarioBlame({ runs: [{ blame } as RunMeasurement] })!);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^stall blame, blocking, 2 processes merged: the loop stalled 1200 ms of 20\.0 s \(40 stalls over 20 ms\), 50\.0 ms of it waiting for a CPU — pbkdf2Sync ← digest w\.ts:19 850 ms 77%/,
    );
    expect(lines[1]).toMatch(/^ {2}pid 11: the loop stalled 900 ms of 10\.0 s \(30 stalls/);
    expect(lines[2]).toMatch(/^ {2}pid 22: the loop stalled 300 ms of 10\.0 s \(10 stalls/);
    expect(lines[3]).toBe('  not read, so not in these figures: pid 33 exited within the window');
  });
});
