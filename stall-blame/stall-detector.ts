/** A span of time, in microseconds on `process.hrtime`'s clock (the clock of V8's profile timestamps). */
export interface Span {
  startUs: number;
  endUs: number;
}

/** Now, in microseconds on the monotonic clock that V8's profiler also uses. */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

export interface StallDetector {
  /** Records a stall if the loop is late right now (what a tick does) and returns now, for a reader that cannot wait for the next tick. */
  check(): number;
  /** Stall windows recorded since the last call, oldest first; they are handed over, not kept. */
  take(): Span[];
  /** Stalls so far: how many, their total and the longest, in ms. */
  totals(): { count: number; totalMs: number; longestMs: number };
  close(): void;
}

/**
 * A heartbeat: a repeating timer of `heartbeatMs`. When a tick comes more than `thresholdMs` later than it
 * was due, the loop was stalled from the due time to now: that span is the stall window. Counting from the
 * due time, not from the previous tick, makes a window exactly the time a callback due then had to wait.
 * `onTick` runs after the window is recorded, in the same task (the blame rotates its profile there, so a
 * profile never ends between a stall and the tick that records it). The timer is unref'd: it never keeps
 * the process alive.
 */
export function startStallDetector(thresholdMs: number, heartbeatMs: number, onTick: (now: number) => void): StallDetector {
  let pending: Span[] = [];
  let count = 0;
  let totalUs = 0;
  let longestUs = 0;
  let previous = nowUs();
  const check = () => {
    const now = nowUs();
    const due = previous + heartbeatMs * 1000;
    previous = now;
    const lateUs = now - due;
    if (lateUs > thresholdMs * 1000) {
      pending.push({ startUs: due, endUs: now });
      count += 1;
      totalUs += lateUs;
      longestUs = Math.max(longestUs, lateUs);
    }
    return now;
  };
  const timer = setInterval(function stallBlameHeartbeat() {
    onTick(check());
  }, heartbeatMs);
  timer.unref();
  return {
    check,
    take() {
      const taken = pending;
      pending = [];
      return taken;
    },
    totals: () => ({ count, totalMs: totalUs / 1000, longestMs: longestUs / 1000 }),
    close: () => clearInterval(timer),
  };
}
