import type { ClusterBlameLine, ProcessBlame, RunBlame, UnreadProcess } from './blame-window.ts';

const round = (ms: number) => Number(ms.toFixed(1));
/** A culprit is the same code in every process: its function, file and line (not what it was calling). */
const keyOf = (c: Pick<ClusterBlameLine, 'frame' | 'file' | 'line'>) =>
  `${c.frame}\u0000${c.file ?? ''}\u0000${c.line ?? ''}`;

/**
 * The culprits of every process as one list, merged by function + file + line: ms added up, each
 * process's part kept in `byProcess`, the context the one with the most ms, the share recomputed over
 * the merged blamed time. Sorted by ms, largest first.
 */
export function mergeCulprits(processes: readonly Pick<ProcessBlame, 'pid' | 'culprits'>[]): ClusterBlameLine[] {
  const merged = new Map<string, { line: ClusterBlameLine; contextMs: number }>();
  for (const { pid, culprits } of processes) {
    for (const c of culprits) {
      const key = keyOf(c);
      const entry = merged.get(key);
      if (!entry) {
        merged.set(key, {
          line: {
            frame: c.frame,
            file: c.file,
            line: c.line,
            context: c.context,
            ms: c.ms,
            share: 0,
            byProcess: [{ pid, ms: c.ms }],
          },
          contextMs: c.ms,
        });
        continue;
      }
      entry.line.ms = round(entry.line.ms + c.ms);
      entry.line.byProcess?.push({ pid, ms: c.ms });
      if (c.ms > entry.contextMs) {
        entry.line.context = c.context;
        entry.contextMs = c.ms;
      }
    }
  }
  const lines = [...merged.values()].map((e) => e.line);
  const blamedMs = lines.reduce((sum, l) => sum + l.ms, 0);
  for (const l of lines) l.share = blamedMs > 0 ? Number((l.ms / blamedMs).toFixed(3)) : 0;
  return lines.sort((a, b) => b.ms - a.ms);
}

/**
 * A cluster's blame over one window from each process's: stalls, stall time, CPU wait, sampled and
 * idle time and the window itself added up (process-time: two processes over 10 s are a 20 s window),
 * the longest stall the longest of any; complete only when every process's was. `top` culprits kept.
 */
export function mergeProcessBlame(
  url: string,
  processes: readonly ProcessBlame[],
  unread: readonly UnreadProcess[],
  top: number,
): RunBlame {
  const sum = (pick: (b: ProcessBlame) => number) => processes.reduce((total, b) => total + pick(b), 0);
  return {
    url,
    stallThresholdMs: processes[0]?.stallThresholdMs ?? 0,
    windowMs: sum((b) => b.windowMs),
    stalls: sum((b) => b.stalls),
    stallMs: sum((b) => b.stallMs),
    longestStallMs: Math.max(0, ...processes.map((b) => b.longestStallMs)),
    cpuWaitMs: sum((b) => b.cpuWaitMs),
    sampledMs: sum((b) => b.sampledMs),
    idleMs: sum((b) => b.idleMs),
    culprits: mergeCulprits(processes).slice(0, top),
    processes: processes.map((p) => ({ ...p, culprits: p.culprits.slice(0, top) })),
    unread: [...unread],
    complete: processes.every((b) => b.complete) && unread.length === 0,
    error: null,
  };
}
