/**
 * `--deny-stall PATTERN`: a culprit deny-list. A run whose stall blame names a culprit whose file or
 * function matches the pattern fails the run as a threshold does (exit 1), one line naming the culprit.
 * Patterns are the gate's allowlist globs (`*` within a folder, `**` across, `?` one character).
 */
import { globToRegExp } from '../../stall-blame/gate/config.ts';
import { scenarioLabel } from './scenario-key.ts';
import type { ThresholdOutcome } from './thresholds.ts';
import type { Results } from '../types.ts';

export function evaluateDenyStall(pattern: string, results: Results): ThresholdOutcome {
  const source = `--deny-stall ${pattern}`;
  const match = globToRegExp(pattern);
  const found: string[] = [];
  let read = 0;
  for (const scenario of results.scenarios) {
    const seen = new Map<string, { ms: number; runs: number }>();
    for (const run of scenario.runs) {
      if (!run.blame || run.blame.error !== null) continue;
      read += 1;
      for (const c of run.blame.culprits) {
        if (!match.test(c.frame) && !(c.file !== null && match.test(c.file))) continue;
        const name = `${c.frame} ${c.file ?? '(native)'}${c.line !== null ? `:${c.line}` : ''}`;
        const entry = seen.get(name) ?? { ms: 0, runs: 0 };
        seen.set(name, { ms: entry.ms + c.ms, runs: entry.runs + 1 });
      }
    }
    for (const [name, { ms, runs }] of seen)
      found.push(
        `${scenarioLabel(scenario.scenario)}: ${name} stalled the loop ${ms.toFixed(0)} ms in ${runs} of ${scenario.runs.length} run(s)`,
      );
  }
  // A gate that read no blame checked nothing: it must not pass.
  if (read === 0)
    return {
      source,
      passed: false,
      detail: 'no stall blame was read (it is on by default; with --url or --target it needs --blame-url)',
    };
  return found.length > 0
    ? { source, passed: false, detail: found.join('; ') }
    : { source, passed: true, detail: `no culprit matched in ${read} run(s)` };
}
