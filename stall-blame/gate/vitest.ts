/**
 * `looplab/vitest`: `expectNoStall(fn, { thresholdMs })` for one block of code, in any test. (The setup
 * file that fails every test during which the loop stalled is `looplab/vitest/setup`, vitest-setup.ts.)
 */
import { startStallBlame } from '../blame.ts';
import { GATE_STALL_THRESHOLD_MS } from '../limits.ts';
import { type BlameLine, type BlameReport, describe } from '../report.ts';
import { addSourceMapFinder } from '../source-maps.ts';
import { thresholdFromEnv } from './env.ts';
import { isProjectCode } from './project-code.ts';
import { blamedEnough } from './verdict.ts';
import { vitestSourceMap } from './vitest-source-maps.ts';

/** The culprits of `report` in the project's own code, as one sentence; null when there are none. */
export function stalledIn(report: BlameReport): string | null {
  const lines = report.culprits.filter(
    (line: BlameLine) => isProjectCode(line) && blamedEnough(line.ms, report.options.stallThresholdMs),
  );
  if (lines.length === 0) return null;
  const culprits = lines.slice(0, 3).map((line) => `${describe(line)} (${line.ms.toFixed(0)} ms)`);
  return (
    `the event loop stalled ${report.stalls} time${report.stalls === 1 ? '' : 's'} over ${report.options.stallThresholdMs} ms ` +
    `(longest ${report.longestStallMs.toFixed(0)} ms) in ${culprits.join(', ')}`
  );
}

/**
 * Runs `fn` (awaited when it returns a promise) and throws when the event loop stalled over `thresholdMs`
 * (default STALL_THRESHOLD_MS or GATE_STALL_THRESHOLD_MS) in the project's code while it ran, naming
 * the culprit. Its own profiler, at its own threshold, for this block alone.
 */
export async function expectNoStall(fn: () => unknown, options: { thresholdMs?: number } = {}): Promise<void> {
  addSourceMapFinder(vitestSourceMap);
  const own = startStallBlame({
    stallThresholdMs: options.thresholdMs ?? thresholdFromEnv(process.env) ?? GATE_STALL_THRESHOLD_MS,
  });
  let report: BlameReport;
  try {
    await fn();
  } finally {
    // stop() first closes a stall that is still open: a synchronous block that has just ended.
    report = await own.stop();
  }
  const stalled = stalledIn(report);
  if (stalled) throw new Error(`expectNoStall: ${stalled}`);
}
