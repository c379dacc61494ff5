import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkloads } from '../../server/workloads/load.ts';
import type { Registry } from '../../server/workloads/registry.ts';

/**
 * A workload file that keeps its thread busy for `ms` milliseconds of wall time and reports, from
 * inside that thread, which thread ran it and when it started and ended (epoch ms).
 */
const SPIN = `
import { threadId } from 'node:worker_threads';
const now = () => performance.timeOrigin + performance.now();
export default {
  name: 'spin',
  summary: 'keeps its thread busy for ms milliseconds and says when and where it ran',
  params: { ms: { kind: 'int', min: 1, max: 2000, default: 100 } },
  blocking({ ms }: { ms: number }) {
    const start = now();
    while (now() - start < ms);
    return { threadId, start, end: now() };
  },
};
`;

/** What one `/spin/<mode>` answer says about where and when it ran. */
export interface SpinRun {
  threadId: number;
  start: number;
  end: number;
}

/** The built-ins plus `spin`, loaded from a temporary file; `remove()` deletes the file. */
export async function spinWorkload(): Promise<{ registry: Registry; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'looplab-spin-'));
  const file = join(dir, 'spin.ts');
  await writeFile(file, SPIN);
  return { registry: await loadWorkloads([file]), remove: () => rm(dir, { recursive: true, force: true }) };
}
