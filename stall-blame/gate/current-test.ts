import { nowUs } from '../stall-detector.ts';

/** The bits of a vitest task the gate reads: enough to name a test the way vitest's reporter does. */
interface Task {
  type?: string;
  name?: string;
  suite?: Task;
  file?: Task;
}

/** A test's name as vitest prints it: its suites' names and its own, joined by ` > `. */
function nameOf(task: Task | undefined): string | null {
  if (task?.type !== 'test' || !task.name) return null;
  const names: string[] = [];
  // The file is the outermost suite: the culprit's file:line already says where the test is.
  for (let at: Task | undefined = task; at?.name && at !== task.file; at = at.suite) names.unshift(at.name);
  return names.join(' > ');
}

const KEPT = 256;

/**
 * Which test was running at a given moment, where the runner tells: vitest keeps its current task in
 * `globalThis.__vitest_worker__.current` (set when a test starts, reset when it ends). The gate cannot
 * run code during a stall, and after one the runner may have moved on to the next test, so the setter is
 * wrapped (once per worker state, found by `poll` on each heartbeat) to keep a short timeline of changes
 * on the stall detector's clock; a stall is then matched to the test that was current when it began.
 * Elsewhere (`node --test`, a script) it names nothing.
 */
export function watchCurrentTest() {
  const timeline: { atUs: number; name: string | null }[] = [];
  let watched: unknown;
  return {
    poll(): void {
      const state = (globalThis as { __vitest_worker__?: { current?: Task } }).__vitest_worker__;
      if (!state || state === watched) return;
      watched = state;
      let current = state.current;
      const note = () => {
        timeline.push({ atUs: nowUs(), name: nameOf(current) });
        if (timeline.length > KEPT) timeline.shift();
      };
      Object.defineProperty(state, 'current', {
        configurable: true,
        enumerable: true,
        get: () => current,
        set(task: Task | undefined) {
          current = task;
          note();
        },
      });
      note();
    },
    /**
     * The test that was current for the longest part of [fromUs, toUs) (µs on the stall detector's clock),
     * or null. Not the test current at `fromUs`: a stall window starts at a heartbeat's due time, up to a
     * heartbeat before the blocking call began, when the runner may still have been on the previous test.
     */
    during(fromUs: number, toUs: number): string | null {
      let best: string | null = null;
      let bestUs = 0;
      for (let i = 0; i < timeline.length; i += 1) {
        const entry = timeline[i] as { atUs: number; name: string | null };
        const until = (timeline[i + 1] as { atUs: number } | undefined)?.atUs ?? Number.POSITIVE_INFINITY;
        const overlap = Math.min(until, toUs) - Math.max(entry.atUs, fromUs);
        if (overlap > bestUs && entry.name !== null) {
          best = entry.name;
          bestUs = overlap;
        }
      }
      return best;
    },
  };
}
