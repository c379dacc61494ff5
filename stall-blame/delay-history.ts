import { HISTORY } from './history.ts';

/** The loop delay of a window, as the heartbeat saw it: how late its ticks were. */
export interface LoopDelay {
  /** Nearest-rank p99 and the largest of the ticks' lateness in the window, ms. */
  p99Ms: number;
  maxMs: number;
  /** Ticks in the window: a p99 of fewer than 100 is their largest. */
  ticks: number;
}

/**
 * How late each heartbeat tick was, for the last 10 minutes, so that any recent window's loop delay can
 * be read (the stall-blame endpoint's `loopDelay`, what `--target … --blame-url` gates as
 * `target.loop_delay_p99`). A ring of fixed size: at the default 10 ms heartbeat, 60 000 ticks are 10
 * minutes; a faster heartbeat keeps less time.
 */
export function createDelayHistory(size = Math.round(HISTORY.retainUs / 10_000)) {
  const atUs = new Float64Array(size);
  const lateMs = new Float32Array(size);
  let next = 0;
  let count = 0;
  return {
    add(at: number, lateUs: number): void {
      atUs[next] = at;
      lateMs[next] = lateUs / 1000;
      next = (next + 1) % size;
      count = Math.min(count + 1, size);
    },
    /** The ticks in [fromUs, toUs); null when none fell in it. */
    window(fromUs: number, toUs: number): LoopDelay | null {
      const late: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const at = atUs[i] as number;
        if (at >= fromUs && at < toUs) late.push(lateMs[i] as number);
      }
      if (late.length === 0) return null;
      late.sort((a, b) => a - b);
      const rank = Math.max(0, Math.ceil(late.length * 0.99) - 1);
      return { p99Ms: late[rank] as number, maxMs: late[late.length - 1] as number, ticks: late.length };
    },
  };
}
