import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Culprit } from '../frames.ts';
import { describe } from '../report.ts';
import { type AllowEntry, allowedBy, type GateConfig } from './config.ts';
import { isProjectCode } from './project-code.ts';
import { GATE_RECORD_SCHEMA, type GateRecord } from './record.ts';
import type { SyncCall } from './sync-calls.ts';

/** The stalls of one culprit, over every process and thread. */
export interface GateFinding extends Culprit {
  count: number;
  ms: number;
  longestMs: number;
  /** The tests that were running (vitest), first seen first. */
  tests: string[];
  /** Where: `worker thread 3 of pid 812 (forks.js)`, first seen first. */
  where: string[];
  allowedBy?: AllowEntry;
}

export interface GateVerdict {
  stallThresholdMs: number;
  /** Threads that recorded (each process's main thread and every worker thread that ran the preload). */
  threads: number;
  /** Stalls in the project's own code, not on the allowlist: these fail the gate. */
  denied: GateFinding[];
  allowed: GateFinding[];
  /** Stalls with no culprit in the project's code: the runner's own work (module loading, GC), an idle loop, waits for a CPU. */
  elsewhere: { count: number; ms: number };
  /** With `--sync-io`: the project's synchronous calls after start-up, most time first. Listed, never gated. */
  syncCalls?: (SyncCall & { where: string[] })[];
  passed: boolean;
}

/**
 * A culprit is held to account for a stall only when at least half the threshold of its time was blamed
 * on it: a long stall whose samples fell mostly elsewhere (a profiler stopping, a wait for a CPU) leaves a
 * sliver on whatever ran beside it, and that sliver did not stall the loop.
 */
export const blamedEnough = (ms: number, stallThresholdMs: number): boolean => ms >= stallThresholdMs / 2;

/** Every record in `dir` (one file per thread); a file that is not one is skipped. */
export function readRecords(dir: string): GateRecord[] {
  const records: GateRecord[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    try {
      const data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as GateRecord;
      if (data.schema === GATE_RECORD_SCHEMA) records.push(data);
    } catch {
      // Written by a thread that was killed mid-write: the previous stalls are lost with it; skip.
    }
  }
  return records;
}

const pushOnce = (list: string[], item: string | null) => {
  if (item !== null && !list.includes(item)) list.push(item);
};

/** Adds up the records' stalls by culprit and holds them against the allowlist. */
export function judge(records: readonly GateRecord[], config: GateConfig, stallThresholdMs: number): GateVerdict {
  const findings = new Map<string, GateFinding>();
  const elsewhere = { count: 0, ms: 0 };
  for (const record of records) {
    const where = whereOf(record);
    for (const stall of record.stalls) {
      if (
        !isProjectCode(stall.culprit) ||
        stall.waitedForCpu ||
        !blamedEnough(stall.culprit.ms, record.stallThresholdMs)
      ) {
        elsewhere.count += 1;
        elsewhere.ms += stall.ms;
        continue;
      }
      const { frame, file, line, context } = stall.culprit;
      const key = `${frame}\u0000${file}\u0000${line}`;
      const finding = findings.get(key) ?? {
        frame,
        file,
        line,
        context,
        count: 0,
        ms: 0,
        longestMs: 0,
        tests: [],
        where: [],
      };
      finding.count += 1;
      finding.ms += stall.ms;
      finding.longestMs = Math.max(finding.longestMs, stall.ms);
      pushOnce(finding.tests, stall.test);
      pushOnce(finding.where, where);
      findings.set(key, finding);
    }
  }
  const denied: GateFinding[] = [];
  const syncCalls = records.some((r) => r.syncCalls) ? addUpSyncCalls(records) : undefined;
  const allowed: GateFinding[] = [];
  for (const finding of [...findings.values()].sort((a, b) => b.ms - a.ms)) {
    const entry = allowedBy(config, finding.frame, finding.file);
    if (entry) allowed.push({ ...finding, allowedBy: entry });
    else denied.push(finding);
  }
  return {
    stallThresholdMs,
    threads: records.length,
    denied,
    allowed,
    elsewhere,
    ...(syncCalls ? { syncCalls } : {}),
    passed: denied.length === 0,
  };
}

const whereOf = (record: GateRecord) =>
  `${record.thread} of pid ${record.pid} (${basename(record.command.split(' ')[0] ?? '')})`;

/** The same call from the same line, added up over every thread and process. */
function addUpSyncCalls(records: readonly GateRecord[]): (SyncCall & { where: string[] })[] {
  const calls = new Map<string, SyncCall & { where: string[] }>();
  for (const record of records) {
    for (const call of record.syncCalls ?? []) {
      const key = `${call.api}\u0000${call.file}\u0000${call.line}\u0000${call.frame}`;
      const sum = calls.get(key) ?? { ...call, count: 0, ms: 0, where: [] };
      sum.count += call.count;
      sum.ms += call.ms;
      pushOnce(sum.where, whereOf(record));
      calls.set(key, sum);
    }
  }
  return [...calls.values()].sort((a, b) => b.ms - a.ms || b.count - a.count);
}

const FIRST = 3;
const some = (items: string[]) =>
  items.slice(0, FIRST).join(', ') + (items.length > FIRST ? `, +${items.length - FIRST} more` : '');

function findingLine(finding: GateFinding): string {
  const tests = finding.tests.length > 0 ? ` in ${some(finding.tests.map((t) => `"${t}"`))}` : '';
  const reason = finding.allowedBy
    ? ` — allowed${finding.allowedBy.reason ? `: ${finding.allowedBy.reason}` : ''}`
    : '';
  return (
    `  ${describe(finding)}  ${finding.ms.toFixed(0)} ms, ${finding.count} stall${finding.count === 1 ? '' : 's'} (longest ${finding.longestMs.toFixed(0)} ms)` +
    `${tests} [${some(finding.where)}]${reason}`
  );
}

/** The verdict as the lines the gate prints at exit. */
export function renderVerdict(verdict: GateVerdict): string {
  const lines = [
    verdict.passed
      ? `looplab gate: passed — no stall over ${verdict.stallThresholdMs} ms in your code outside the allowlist (${verdict.threads} threads watched).`
      : `looplab gate: FAILED — the event loop stalled over ${verdict.stallThresholdMs} ms in your code ` +
        `${verdict.denied.reduce((n, f) => n + f.count, 0)} times (${verdict.threads} threads watched):`,
    ...verdict.denied.map(findingLine),
  ];
  if (verdict.allowed.length > 0) lines.push('Allowed by the allowlist:', ...verdict.allowed.map(findingLine));
  if (verdict.elsewhere.count > 0)
    lines.push(
      `Not counted: ${verdict.elsewhere.count} stalls (${verdict.elsewhere.ms.toFixed(0)} ms) outside your code — ` +
        `the runner's own work, module loading, GC, or waits for a CPU.`,
    );
  if (verdict.syncCalls) lines.push(...syncCallLines(verdict.syncCalls));
  return `${lines.join('\n')}\n`;
}

function syncCallLines(calls: NonNullable<GateVerdict['syncCalls']>): string[] {
  if (calls.length === 0) return ['Synchronous calls after start-up in your code (--sync-io): none.'];
  return [
    `Synchronous calls after start-up in your code (--sync-io; listed, not gated): ${calls.length} place${calls.length === 1 ? '' : 's'}`,
    ...calls.map(
      (c) =>
        `  ${c.api} ← ${c.frame} ${c.file}${c.line ? `:${c.line}` : ''}  ×${c.count}, ${c.ms.toFixed(1)} ms [${some(c.where)}]`,
    ),
  ];
}

/** The end of a gated run: judges every record in `dir`, prints the verdict on stderr, removes `dir`. */
export function settle(dir: string, config: GateConfig, stallThresholdMs: number): GateVerdict {
  const verdict = judge(readRecords(dir), config, stallThresholdMs);
  process.stderr.write(renderVerdict(verdict));
  rmSync(dir, { recursive: true, force: true });
  return verdict;
}
