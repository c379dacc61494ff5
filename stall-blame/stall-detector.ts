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
 * A tick at most this late (µs) found the loop idle, or nearly: it does not read the run-queue delay.
 * That read is a system call: cheap on a busy thread, many times dearer at a tick that wakes an idle
 * process (cold caches, a VM's wake-up), and the heartbeat's ticks sit just before the timers of anything
 * else that measures the loop's delay (a loop-delay monitor's 1 ms timer runs right after one tick in
 * ten), so on an idle server the read is in the loop delay p99 that the stall gate's cost is judged by.
 */
const QUIET_TICK_US = 1000;
/**
 * The ticks whose reads are skipped in a row may add up to this much lateness (µs) before one is taken
 * anyway. A stall's CPU wait is the run-queue delay since the last read: after skipped ticks it includes
 * the wait of those ticks' wake-ups (an idle thread accrues none in between), and a thread waits for a
 * CPU at a wake-up no longer than the tick that woke it was late. So a stall's CPU wait is over-counted
 * by at most this: at worst a stall whose code ran for less than the threshold + 5 ms is taken for a
 * wait for a CPU. That worst case needs every skipped tick's lateness to be all run-queue wait; an
 * on-time tick's lateness is mostly libuv's millisecond timer granularity (a fraction of a millisecond),
 * and a loaded machine's ticks are late past QUIET_TICK_US and read every time. So an idle loop reads
 * once in a dozen or more ticks. (A wake-up for I/O between ticks is not bounded so; its callbacks make
 * the loop busy, which the next ticks see.)
 */
const STALE_READ_BUDGET_US = 5000;

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
 * the process alive. `cpuWait` is the run-queue delay's reader (a test passes its own).
 */
export function startStallDetector(
  stallThresholdMs: number,
  heartbeatMs: number,
  onTick: (now: number, lateUs: number) => void,
  cpuWait: { read(): number | null; close(): void } = cpuWaitReader(),
): StallDetector {
  let pending: StallSpan[] = [];
  let previous = nowUs();
  let lateUs = 0;
  let waitedBefore = cpuWait.read();
  /** The lateness of the ticks since the last run-queue read: what a stale reading can be off by. */
  let unreadLateUs = 0;
  const check = () => {
    const now = nowUs();
    const due = previous + heartbeatMs * 1000;
    previous = now;
    lateUs = Math.max(0, now - due);
    const stalled = now - due > stallThresholdMs * 1000;
    // An on-time tick of an idle loop skips the run-queue read (see QUIET_TICK_US): most ticks, on an
    // idle server, and the read is most of a tick's time there.
    if (!stalled && lateUs <= QUIET_TICK_US && unreadLateUs + lateUs <= STALE_READ_BUDGET_US) {
      unreadLateUs += lateUs;
      return now;
    }
    const waited = cpuWait.read();
    if (stalled) {
      // The wait since the last read, of which at most the window's length fell inside the window.
      const cpuWaitUs = waited === null || waitedBefore === null ? 0 : Math.min(now - due, waited - waitedBefore);
      pending.push({ startUs: due, endUs: now, waitedForCpu: now - due - cpuWaitUs <= stallThresholdMs * 1000 });
    }
    waitedBefore = waited;
    unreadLateUs = 0;
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
      unreadLateUs = 0;
    },
    close() {
      clearInterval(timer);
      cpuWait.close();
    },
  };
}
