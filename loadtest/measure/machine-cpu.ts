import { readFile } from 'node:fs/promises';

/** Jiffies of all CPUs together, from the first line of /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
  cores: number;
}

/** Parses /proc/stat: busy = user + nice + system + irq + softirq + steal; idle and iowait are not busy. */
export function parseProcStat(text: string): CpuTimes | null {
  const lines = text.split('\n');
  const fields = lines[0]
    ?.match(/^cpu\s+(.*)$/)?.[1]
    ?.trim()
    .split(/\s+/)
    .map(Number);
  if (!fields || fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait, cores: lines.filter((l) => /^cpu\d+\s/.test(l)).length };
}

/** The whole machine's CPU times now; null where there is no /proc/stat (not Linux). */
export async function readMachineCpu(): Promise<CpuTimes | null> {
  return readFile('/proc/stat', 'utf8').then(parseProcStat, () => null);
}

/** Busy cores between two readings: every process on the machine, server, database, upstream and generator. */
export function machineBusy(
  before: CpuTimes | null,
  after: CpuTimes | null,
): { busyCores: number; cores: number } | null {
  if (!before || !after || after.total <= before.total) return null;
  const share = (after.busy - before.busy) / (after.total - before.total);
  return { busyCores: Math.round(share * after.cores * 100) / 100, cores: after.cores };
}
