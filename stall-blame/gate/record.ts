import { writeFileSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';
import { attribute, newStall } from '../attribute.ts';
import { resolveOptions } from '../blame.ts';
import type { Culprit } from '../frames.ts';
import { blameLines } from '../report.ts';
import { startSampler } from '../sampler.ts';
import { type StallSpan, startStallDetector } from '../stall-detector.ts';
import { addSourceMapFinder } from '../source-maps.ts';
import { watchCurrentTest } from './current-test.ts';
import { type SyncCall, watchSyncCalls } from './sync-calls.ts';
import { vitestSourceMap } from './vitest-source-maps.ts';

export const GATE_RECORD_SCHEMA = 'looplab-stall-gate/1';

/** One stall as the gate saw it. */
export interface GateStall {
  ms: number;
  /** The culprit with most of the stall's time, and that time (ms); null when nothing in it could be blamed (an idle loop, a wait for a CPU). */
  culprit: (Culprit & { ms: number }) | null;
  /** The test that was running when the stall began, where the runner tells (vitest); null elsewhere. */
  test: string | null;
  /** The thread waited for a CPU for so much of the stall that, without the wait, there was none. */
  waitedForCpu: boolean;
}

/** What one thread of one process recorded: the file each thread writes into the gate's directory. */
export interface GateRecord {
  schema: typeof GATE_RECORD_SCHEMA;
  pid: number;
  /** `main thread` or `worker thread N` (Node's threadId). */
  thread: string;
  /** The process's command line after `node`: which runner, which pool, which test file. */
  command: string;
  stallThresholdMs: number;
  stalls: GateStall[];
  /** Stalls past the first {@link MAX_STALLS}, counted but not kept. */
  dropped: number;
  /** With `--sync-io` only: the synchronous calls the project's code made after start-up. */
  syncCalls?: SyncCall[];
}

const MAX_STALLS = 1000;
const round = (ms: number) => Math.round(ms * 10) / 10;
/**
 * How often, at most, a thread rewrites its record for new synchronous calls alone: they can come by the
 * thousand a second. A worker thread terminated within this time of its last write loses its last calls.
 */
const SYNC_CALLS_WRITE_MS = 100;

/**
 * Records this thread's stalls into `out` (JSON, a {@link GateRecord}), rewriting it after each stall:
 * a worker thread that is terminated, or a process that is killed, gets no `exit` event, so the file must
 * already be complete. A stall is attributed at the heartbeat that sees it (the profile is rotated then,
 * not only once a segment), so it is charged while the runner is still on its test. The cost between
 * stalls is stall blame's: a heartbeat, and a profile rotation once a segment.
 */
export function recordStalls(out: string, stallThresholdMs: number, syncIo = false): { flush(): void } {
  const settings = resolveOptions({ stallThresholdMs });
  addSourceMapFinder(vitestSourceMap);
  const sampler = startSampler(settings.samplingIntervalUs);
  const tests = watchCurrentTest();
  tests.poll();
  const record: GateRecord = {
    schema: GATE_RECORD_SCHEMA,
    pid: process.pid,
    thread: isMainThread ? 'main thread' : `worker thread ${threadId}`,
    command: process.argv.slice(1).join(' '),
    stallThresholdMs,
    stalls: [],
    dropped: 0,
  };
  let written = performance.now();
  // Soon after a call, not at exit: vitest's and piscina's worker threads are terminated, with no exit event.
  const syncCalls = syncIo
    ? watchSyncCalls(() => {
        const wait = SYNC_CALLS_WRITE_MS - (performance.now() - written);
        (wait <= 0 ? setImmediate(write) : setTimeout(write, wait)).unref();
      })
    : undefined;
  const write = () => {
    if (syncCalls) {
      record.syncCalls = syncCalls.calls();
      syncCalls.markSeen();
    }
    writeFileSync(out, `${JSON.stringify(record)}\n`);
    written = performance.now();
  };
  // Written at once too, so that the verdict counts the threads watched, not only those that stalled.
  write();
  let segmentStart = performance.now();
  const absorb = (spans: StallSpan[]) => {
    const profile = sampler.rotate();
    segmentStart = performance.now();
    if (spans.length === 0) return;
    const stalls = spans.map(newStall);
    attribute(profile, stalls);
    for (const stall of stalls) {
      if (record.stalls.length >= MAX_STALLS) {
        record.dropped += 1;
        continue;
      }
      const top = blameLines(stall.tallies)[0];
      record.stalls.push({
        ms: round((stall.endUs - stall.startUs) / 1000),
        culprit: top ? { frame: top.frame, file: top.file, line: top.line, context: top.context, ms: top.ms } : null,
        test: tests.during(stall.startUs, stall.endUs),
        waitedForCpu: stall.waitedForCpu,
      });
    }
    write();
  };
  const detector = startStallDetector(stallThresholdMs, settings.heartbeatMs, function stallGateTick() {
    tests.poll();
    const spans = detector.take();
    if (spans.length > 0 || performance.now() - segmentStart >= settings.segmentMs) {
      absorb(spans);
      // The rotation and the attribution held the loop: the gate's own time, never a stall of the code.
      detector.resume();
    }
  });
  return {
    flush() {
      detector.check();
      absorb(detector.take());
      if (syncCalls?.changed) write();
    },
  };
}
