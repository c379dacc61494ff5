/**
 * The answer `looplab advise` gives, as data (results.json's `advice`): the decision, the evidence table
 * with why each candidate stands where it does, the pool-size knee and the offload cost per call, and
 * the paragraph that says it in words. Built from the evidence table (rules.ts, knee.ts) and the offload
 * cost measured beside it (hop.ts, offload.ts).
 */
import { median, spread } from '../analyse/stats.ts';
import { fmtMs, fmtRate, fmtRatio } from '../report/format.ts';
import type { Spread } from '../types.ts';
import { type Candidate, candidateLabel, type Evidence } from './evidence.ts';
import { type Knee, poolKnee } from './knee.ts';
import type { HopMeasurement } from './hop.ts';
import { type OffloadCost, offloadCost } from './offload.ts';
import { MOSTLY_REFUSED } from '../analyse/refusals.ts';
import { decide, MIN_FINAL_RUNS, MIN_GAIN, type RuleOptions, type Standing } from './rules.ts';

export interface AdviceRow {
  label: string;
  candidate: Candidate;
  runs: number;
  rps: Spread;
  p99Ms: number | null;
  healthP99Ms: number | null;
  loopBusy: number | null;
  cpuMsPerRequest: number | null;
  rssMb: number | null;
  refusedShare: number;
  standing: Standing;
  /** The standing in one clause, e.g. "serves 0.5× worker ×2, beyond noise (Mann–Whitney p = 0.008)". */
  why: string;
}

export interface Advice {
  workload: string;
  cores: number;
  /** True when the load generator ran on the same machine as the server (here: always for a started server). */
  generatorSharesCores: boolean;
  recommended: Candidate | null;
  undecided?: string;
  paragraph: string;
  table: AdviceRow[];
  knee: Knee | null;
  offload: OffloadCost | null;
  /** Candidates cut for the budget, never measured. */
  cut: string[];
  /**
   * Cores other processes kept busy while the candidates ran (median over the candidates' medians);
   * null where the machine's CPU was not read. Their work widens every spread in the table.
   */
  othersCores: number | null;
  rules: { minGain: number; minFinalRuns: number; mostlyRefused: number; memoryBudgetMb: number | null };
}

/** Other processes' cores from which the answer mentions them: below this they hardly move a figure. */
export const BUSY_MACHINE_CORES = 0.25;

const p = (value: number | null) => (value === null ? '' : ` (Mann–Whitney p = ${value.toFixed(3)})`);

function why(e: Evidence, s: Standing, recommended: string): string {
  switch (s.kind) {
    case 'recommended':
      return 'recommended';
    case 'refused':
      return e.rps.every((r) => r === 0) && s.share <= MOSTLY_REFUSED
        ? 'no answer within its runs (each request took longer than the run, or none was answered): not ranked'
        : `mostly refused or failed (${Math.round(s.share * 100)}% of requests): not ranked`;
    case 'reference':
      return `the blocking reference, never recommended: it holds the event loop (/health p99 ${fmtMs(e.healthP99Ms ?? undefined)})`;
    case 'over-memory':
      return `${s.rssMb} MiB resident, over the ${s.budgetMb} MiB budget`;
    case 'screened-out':
      return `screened once at ${fmtRatio(s.ratio)} ${recommended}: not among the best, so not repeated`;
    case 'beaten':
      return `serves ${fmtRatio(s.ratio)} ${s.by}, beyond noise${p(s.p)}`;
    case 'not-worth-it':
      return s.p !== null && s.p < 0.05
        ? `serves ${fmtRatio(s.ratio)} ${recommended}: beyond noise${p(s.p)} but under ${MIN_GAIN * 100}% more, not worth being less simple`
        : `serves ${fmtRatio(s.ratio)} ${recommended}, within noise${p(s.p)}: the simpler one wins`;
    case 'unresolved':
      return `served ${fmtRatio(s.ratio)} ${s.against} by median, not beyond noise${p(s.p)}: the runs cannot choose between them`;
  }
}

/** "worker mode with a pool of 2 threads (1 per core)", "async mode". */
function describe(c: Candidate, cores: number): string {
  if (c.workers === undefined) return `${c.mode} mode`;
  const perCore = c.workers / cores;
  const tasks =
    c.concurrency === undefined
      ? ''
      : `, each running ${c.concurrency} tasks at once (WORKER_CONCURRENCY=${c.concurrency})`;
  return (
    `${c.mode} mode with a pool of ${c.workers} thread${c.workers === 1 ? '' : 's'} ` +
    `(${perCore === 1 ? '1 per core' : `${fmtRatio(perCore)} the ${cores} cores`})${tasks}`
  );
}

/** Other work on the machine, in a sentence, when it held a quarter of a core or more. */
function othersSentence(a: Omit<Advice, 'paragraph'>): string {
  return a.othersCores !== null && a.othersCores >= BUSY_MACHINE_CORES
    ? `Other processes kept ${a.othersCores.toFixed(1)} of the ${a.cores} cores busy during the runs (median): the figures are what they left.`
    : '';
}

/** The offload cost, in a sentence, when the hop costs more than the work: measured apart from the runs, so said either way. */
function offloadSentence(a: Omit<Advice, 'paragraph'>): string {
  return a.offload?.costsMoreThanItSaves
    ? `Offloading costs more than it saves here: the hop takes ${Math.round(a.offload.hopUs)} µs of CPU per call ` +
        `beside ${Math.round(a.offload.workUs)} µs of work.`
    : '';
}

function paragraph(a: Omit<Advice, 'paragraph'>, best: AdviceRow | undefined): string {
  if (!a.recommended || !best)
    return [
      `No recommendation for ${a.workload}: ${a.undecided ?? 'nothing was measured'}.`,
      offloadSentence(a),
      othersSentence(a),
    ]
      .filter(Boolean)
      .join(' ');
  const others = a.table.filter((r) => r !== best && r.standing.kind !== 'refused');
  const beaten = others.filter((r) => r.standing.kind === 'beaten').length;
  const ties = others.filter((r) => r.standing.kind === 'not-worth-it').length;
  const parts = [
    `Run ${a.workload} in ${describe(a.recommended, a.cores)}.`,
    `It served ${fmtRate(best.rps.median)} req/s (${fmtRate(best.rps.min)}–${fmtRate(best.rps.max)} over ` +
      `${best.runs} runs), p99 ${fmtMs(best.p99Ms ?? undefined)}, /health p99 ` +
      `${fmtMs(best.healthP99Ms ?? undefined)}.`,
    beaten > 0 ? `${beaten} finalist(s) lost to it beyond noise.` : '',
    ties > 0 ? `${ties} served as much within noise, or under ${MIN_GAIN * 100}% more: the simpler one wins.` : '',
    a.knee && a.recommended.mode === 'worker'
      ? `The pool-size curve levels off at ${a.knee.at.x} thread(s): more added under 10% throughput (p99 ` +
        `${fmtMs(a.knee.at.p99Ms ?? undefined)} at ${a.knee.at.x}, ${fmtMs(a.knee.last.p99Ms ?? undefined)} at ` +
        `${a.knee.last.x}).`
      : '',
    offloadSentence(a),
    a.generatorSharesCores && a.recommended.workers !== undefined
      ? `Pool sizes are against this machine's ${a.cores} cores, which the load generator shared: on a server whose ` +
        `load comes from elsewhere, the knee may sit up to one thread per free core higher, so re-run advise there ` +
        `before setting more than ${a.cores} threads.`
      : '',
    othersSentence(a),
  ];
  return parts.filter(Boolean).join(' ');
}

function othersCores(table: readonly Evidence[]): number | null {
  const present = table.flatMap((e) => (e.othersCores === null ? [] : [e.othersCores]));
  return present.length > 0 ? Math.round(median(present) * 100) / 100 : null;
}

export function buildAdvice(
  workload: string,
  table: readonly Evidence[],
  context: {
    cores: number;
    generatorSharesCores: boolean;
    cut: readonly Candidate[];
    rules: RuleOptions;
    /** The offload hop, measured on its own (hop.ts); absent for a workload without worker mode. */
    hop?: HopMeasurement | null | undefined;
  },
): Advice {
  const decision = decide(table, context.rules);
  const recommendedLabel = decision.recommended ? candidateLabel(decision.recommended.candidate) : 'the best';
  const rows: AdviceRow[] = decision.standings.map(({ evidence: e, standing }) => ({
    label: candidateLabel(e.candidate),
    candidate: e.candidate,
    runs: e.rps.length,
    rps: e.rps.length > 0 ? spread(e.rps) : { median: 0, min: 0, max: 0 },
    p99Ms: e.p99Ms,
    healthP99Ms: e.healthP99Ms,
    loopBusy: e.loopBusy,
    cpuMsPerRequest: e.cpuMsPerRequest,
    rssMb: e.rssMb,
    refusedShare: e.refusedShare,
    standing,
    why: why(e, standing, recommendedLabel),
  }));
  const refused = new Set(decision.standings.filter((s) => s.standing.kind === 'refused').map((s) => s.evidence));
  const base = {
    workload,
    cores: context.cores,
    generatorSharesCores: context.generatorSharesCores,
    recommended: decision.recommended?.candidate ?? null,
    ...(decision.undecided ? { undecided: decision.undecided } : {}),
    table: rows,
    knee: poolKnee(table, (e) => !refused.has(e)),
    offload: context.hop ? offloadCost(context.hop) : null,
    cut: context.cut.map(candidateLabel),
    othersCores: othersCores(table),
    rules: {
      minGain: MIN_GAIN,
      minFinalRuns: MIN_FINAL_RUNS,
      mostlyRefused: MOSTLY_REFUSED,
      memoryBudgetMb: context.rules.memoryBudgetMb ?? null,
    },
  };
  const best = rows.find((r) => r.standing.kind === 'recommended');
  return { ...base, paragraph: paragraph(base, best) };
}
