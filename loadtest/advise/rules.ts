/**
 * The decision rules of `looplab advise`, over the evidence table alone (evidence.ts), in the order
 * docs/guide/advise.md states them:
 *
 * 1. A candidate whose requests were mostly refused or failed is set aside: never recommended, never ranked.
 * 2. `blocking` is the reference, never recommended.
 * 3. With a memory budget, a candidate whose resident memory exceeds it is set aside.
 * 4. Only candidates measured in at least MIN_FINAL_RUNS runs (the finalists) can be recommended: fewer
 *    runs cannot tell a difference from noise. The others lost at the screen.
 * 5. A finalist A beats B when A's median throughput is at least MIN_GAIN above B's AND the Mann–Whitney
 *    test on their per-run throughputs says p < 0.05.
 * 6. The candidate is the simplest finalist (async, then worker, then queue; fewer threads first) that no
 *    finalist beats. The fastest finalist is never beaten (nothing is MIN_GAIN above it), so there always
 *    is one.
 * 7. It is recommended unless another finalist's median is at least MIN_GAIN above its own without the
 *    test confirming it (p ≥ 0.05): then the runs spread too widely to decide, and advise says so rather
 *    than call it a tie. A tie — the simpler one wins — is a median gain under MIN_GAIN.
 */
import { MOSTLY_REFUSED } from '../analyse/refusals.ts';
import { compareRuns, median } from '../analyse/stats.ts';
import { type Evidence, candidateLabel, REFERENCE_MODE, simplerFirst } from './evidence.ts';

/**
 * A more complex candidate must serve at least this much more (and beyond noise) to be worth it. 10%, not
 * less, because the same work scatters nearly that far here: on a quiet 2-core machine, five 3-s runs of
 * `hash` (pbkdf2) spread 109–122 req/s in async mode and 104–126 with a pool of 2, two modes that fill the
 * same two cores (docs/lab-notes/2026-12-07-advise-gain.md). At 5%, medians of equal candidates fell that
 * far apart often enough that rule 7 left real ties open, and a tie was once "won" beyond noise.
 */
export const MIN_GAIN = 0.1;
/** The fewest runs with which the Mann–Whitney test can reach p < 0.05 (4 against 4: p = 0.029). */
export const MIN_FINAL_RUNS = 4;

export interface RuleOptions {
  /** Resident memory the server may use, MiB; absent = no limit. */
  memoryBudgetMb?: number | undefined;
}

/** Where one candidate stands, and why, in terms of the evidence table. */
export type Standing =
  | { kind: 'recommended' }
  | { kind: 'refused'; share: number }
  | { kind: 'reference' }
  | { kind: 'over-memory'; rssMb: number; budgetMb: number }
  /** Fewer than MIN_FINAL_RUNS runs; `ratio` = its throughput ÷ the recommended's. */
  | { kind: 'screened-out'; ratio: number }
  /** Another finalist serves at least MIN_GAIN more, beyond noise. */
  | { kind: 'beaten'; by: string; ratio: number; p: number }
  /** Not beaten, but the recommended is simpler and not beaten either: `ratio` and `p` against it. */
  | { kind: 'not-worth-it'; ratio: number; p: number | null }
  /**
   * Rule 7: one side of a choice the runs could not make — this candidate against `against`, whose medians
   * differ by MIN_GAIN or more without the test confirming it. `ratio` = this one's median ÷ the other's.
   */
  | { kind: 'unresolved'; against: string; ratio: number; p: number | null };

export interface Decision {
  /** Null when nothing can be recommended; `undecided` then says why. */
  recommended: Evidence | null;
  undecided?: string;
  /** Every candidate with its standing: the usable ones by median throughput, highest first, then the rest. */
  standings: Array<{ evidence: Evidence; standing: Standing }>;
}

const rpsOf = (e: Evidence) => median(e.rps);
/** `a`'s median throughput over `b`'s, as a ratio: 110 over 100 is exactly 1.1, where 1.1 × 100 is not 110. */
const gainOf = (a: Evidence, b: Evidence) => rpsOf(a) / rpsOf(b);

/** True when `a` serves at least MIN_GAIN more than `b`, beyond noise; with the test's p. */
export function beats(a: Evidence, b: Evidence): { yes: boolean; p: number | null } {
  const verdict = compareRuns(a.rps, b.rps);
  const p = verdict.kind === 'one-run' ? null : verdict.p;
  return { yes: verdict.kind === 'differs' && gainOf(a, b) >= 1 + MIN_GAIN, p };
}

/**
 * True when `a`'s median is at least MIN_GAIN above `b`'s but the test cannot tell that from noise (rule 7):
 * not a tie, a question the runs left open.
 */
export function leadsUnconfirmed(a: Evidence, b: Evidence): boolean {
  return gainOf(a, b) >= 1 + MIN_GAIN && !beats(a, b).yes;
}

/** The rule that sets a candidate aside before any comparison, if one does (rules 1–3). */
export function setAside(e: Evidence, options: RuleOptions): Standing | null {
  if (e.refusedShare > MOSTLY_REFUSED || e.rps.every((r) => r === 0)) return { kind: 'refused', share: e.refusedShare };
  if (e.candidate.mode === REFERENCE_MODE) return { kind: 'reference' };
  if (options.memoryBudgetMb !== undefined && e.rssMb !== null && e.rssMb > options.memoryBudgetMb)
    return { kind: 'over-memory', rssMb: e.rssMb, budgetMb: options.memoryBudgetMb };
  return null;
}

/** Applies the rules to the evidence table. */
export function decide(table: readonly Evidence[], options: RuleOptions = {}): Decision {
  const aside = new Map<Evidence, Standing>();
  for (const e of table) {
    const s = setAside(e, options);
    if (s) aside.set(e, s);
  }
  const usable = table.filter((e) => !aside.has(e));
  const finalists = usable
    .filter((e) => e.rps.length >= MIN_FINAL_RUNS)
    .sort((a, b) => simplerFirst(a.candidate, b.candidate));
  // Rule 6, then rule 7: the simplest unbeaten finalist, unless a finalist leads it without confirmation.
  const candidate = finalists.find((c) => !finalists.some((o) => o !== c && beats(o, c).yes)) ?? null;
  const open = candidate ? finalists.filter((o) => o !== candidate && leadsUnconfirmed(o, candidate)) : [];
  const recommended = open.length === 0 ? candidate : null;
  // What the other standings are measured against: the recommended, else the candidate left open.
  const reference = recommended ?? candidate;
  const leader = [...open].sort((a, b) => rpsOf(b) - rpsOf(a))[0];

  const standingOf = (e: Evidence): Standing => {
    const set = aside.get(e);
    if (set) return set;
    if (!reference) return { kind: 'screened-out', ratio: Number.NaN };
    if (e === recommended) return { kind: 'recommended' };
    if (e === reference && leader)
      return {
        kind: 'unresolved',
        against: candidateLabel(leader.candidate),
        ratio: rpsOf(e) / rpsOf(leader),
        p: beats(leader, e).p,
      };
    if (open.includes(e))
      return {
        kind: 'unresolved',
        against: candidateLabel(reference.candidate),
        ratio: rpsOf(e) / rpsOf(reference),
        p: beats(e, reference).p,
      };
    const ratio = rpsOf(e) / rpsOf(reference);
    if (!finalists.includes(e)) return { kind: 'screened-out', ratio };
    // Beaten: by the fastest finalist that beats it, so the ratio shown is the largest gap.
    const beater = [...finalists].sort((a, b) => rpsOf(b) - rpsOf(a)).find((o) => o !== e && beats(o, e).yes);
    if (beater)
      return {
        kind: 'beaten',
        by: candidateLabel(beater.candidate),
        ratio: rpsOf(e) / rpsOf(beater),
        p: beats(beater, e).p ?? 1,
      };
    return { kind: 'not-worth-it', ratio, p: beats(e, reference).p };
  };
  // Usable candidates ranked by throughput; those set aside after them, unranked.
  const ordered = [...usable.sort((a, b) => rpsOf(b) - rpsOf(a)), ...table.filter((e) => aside.has(e))];
  const standings = ordered.map((evidence) => ({ evidence, standing: standingOf(evidence) }));
  if (recommended) return { recommended, standings };
  let undecided: string;
  if (candidate && leader) {
    const p = beats(leader, candidate).p;
    undecided =
      `${candidateLabel(leader.candidate)} served ${(rpsOf(leader) / rpsOf(candidate)).toFixed(2)}× ` +
      `${candidateLabel(candidate.candidate)} by median, at least ${MIN_GAIN * 100}% more, but not beyond ` +
      `noise${p === null ? '' : ` (Mann–Whitney p = ${p.toFixed(3)})`}: the runs spread too widely to choose between ` +
      `them (more --repeats, or a machine with less other work, can decide it)`;
  } else if (usable.length === 0)
    undecided =
      'no candidate can be recommended: every one was mostly refused, is the blocking reference, or is over the memory budget';
  else
    undecided = `no candidate was measured in ${MIN_FINAL_RUNS} runs or more, so none can be told from noise (raise --budget)`;
  return { recommended: null, undecided, standings };
}
