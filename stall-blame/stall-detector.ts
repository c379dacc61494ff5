import { cpuWaitReader } from './cpu-wait.ts';

/** A span of time, in microseconds on `process.hrtime`'s clock (the clock of V8's profile timestamps). */
export interface Span {
  startUs: number;
  endUs: number;
}

/** A stall window. */
export interface StallSpan extends Span {
  /**
   * The main thread waited for a CPU for so much of the window (Linux's run-queue delay) that it ran for
   * less than the threshold in it: without the wait there would have been no stall. Never true elsewhere.
   */
  waitedForCpu: boolean;
}

/** Now, in microseconds on the monotonic clock that V8's profiler also uses. */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

export interface StallDetector {
  /** Records a stall if the loop is late right now (what a tick does) and returns now, for a reader that cannot wait for the next tick. */
  check(): number;
  /** Stall windows recorded since the last call, oldest first; they are handed over, not kept. */
  take(): StallSpan[];
  /**
   * The time since the last check was the profiler's own (a profile rotation, or the attribution after
   * it): the next tick is due a heartbeat from now, so that time is never a stall blamed on the code.
   */
  resume(): void;
  close(): void;
}

/**
 * A heartbeat: a repeating timer of `heartbeatMs`. When a tick comes more than `stallThresholdMs` later than it
 * was due, the loop was stalled from the due time to now: that span is the stall window. Counting from the
 * due time, not from the previous tick, makes a window exactly the time a callback due then had to wait.
 * A stall that began between two ticks began up to `heartbeatMs` before the due time of the tick it
 * delayed, and that part is not in its window: a coarse heartbeat is cheap (each tick wakes an idle
 * process) at the price of seeing a stall of L ms as L − heartbeatMs to L ms late.
 * `check` from outside a tick (a report being read) ends the window at that moment too, so no stall
 * spans the moment of a report: a report's end is a clean cut between stalls.
 * `onTick` gets how late the tick was (µs, the loop delay it saw) and runs after the window is recorded, in the same task (the blame rotates its profile there, so a
 * profile never ends between a stall and the tick that records it). The timer is unref'd: it never keeps
 * the process alive.
 */
export function startStallDetector(
  stallThresholdMs: number,
  heartbeatMs: number,
  onTick: (now: number, lateUs: number) => void,
): StallDetector {
  let pending: StallSpan[] = [];
  let previous = nowUs();
  let lateUs = 0;
  const cpuWait = cpuWaitReader();
  let waitedBefore = cpuWait.read();
  const check = () => {
    const now = nowUs();
    const waited = cpuWait.read();
    const due = previous + heartbeatMs * 1000;
    previous = now;
    lateUs = Math.max(0, now - due);
    if (now - due > stallThresholdMs * 1000) {
      // The wait since the previous tick, of which at most the window's length fell inside the window.
      const cpuWaitUs = waited === null || waitedBefore === null ? 0 : Math.min(now - due, waited - waitedBefore);
      pending.push({ startUs: due, endUs: now, waitedForCpu: now - due - cpuWaitUs <= stallThresholdMs * 1000 });
    }
    waitedBefore = waited;
    return now;
  };
  const timer = setInterval(function stallBlameHeartbeat() {
    const now = check();
    onTick(now, lateUs);
  }, heartbeatMs);
  timer.unref();
  return {
    check,
    take() {
      const taken = pending;
      pending = [];
      return taken;
    },
    resume() {
      previous = nowUs();
      waitedBefore = cpuWait.read();
    },
    close() {
      clearInterval(timer);
      cpuWait.close();
    },
  };
}
