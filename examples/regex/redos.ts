/**
 * A regular expression with catastrophic backtracking, on bounded input: `^(a+)+$` against n letters
 * "a" and a final "!" tries about 2^n ways to split the run before it fails. The `linear` pattern
 * `^a+$` answers the same question in n steps. Input length is capped so one request stays near a
 * second of one core; a real service would cap it far lower, or use a linear-time engine.
 * Run it: npm run loadtest -- --workload-file examples/regex/redos.ts
 */
import type { WorkloadDefinition } from '../../server/workloads/workload.ts';

const PATTERNS = { nested: /^(a+)+$/, linear: /^a+$/ } as const;

const params = {
  pattern: {
    kind: 'enum',
    values: ['nested', 'linear'],
    default: 'nested',
    doc: 'nested: ^(a+)+$ (exponential); linear: ^a+$',
  },
  n: {
    kind: 'int',
    min: 1,
    max: 24,
    default: 18,
    doc: 'letters before the "!" that makes the match fail; nested work doubles per letter',
  },
} as const;

export default {
  name: 'redos',
  summary: 'A failing match of ^(a+)+$ (catastrophic backtracking) or ^a+$ against n letters and a "!".',
  params,
  modes: {
    blocking: 'RegExp.test on the event-loop thread: nothing else runs until it gives up',
    worker: 'the same inside a pool worker thread (no async form: a regular expression cannot yield)',
  },
  blocking({ pattern, n }) {
    const started = performance.now();
    const matched = PATTERNS[pattern].test(`${'a'.repeat(n)}!`);
    return { pattern, n, matched, matchMs: Math.round((performance.now() - started) * 100) / 100 };
  },
  loadtest: { params: { pattern: 'nested', n: 18 } },
  bound: { kind: 'cpu' },
} satisfies WorkloadDefinition<typeof params>;
