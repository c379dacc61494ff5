import { cpuWorkload } from './cpu.ts';
import { dbWorkload } from './db.ts';
import { fetchWorkload } from './fetch.ts';
import { hashWorkload } from './hash.ts';
import type { Workload } from './workload.ts';

/** Every workload, by the name used in its path (`/<name>/<mode>`). Adding one is one line here. */
export const WORKLOADS: Readonly<Record<string, Workload>> = Object.freeze({
  db: dbWorkload,
  fetch: fetchWorkload,
  hash: hashWorkload,
  cpu: cpuWorkload,
});

export function findWorkload(name: string): Workload | undefined {
  return Object.hasOwn(WORKLOADS, name) ? WORKLOADS[name] : undefined;
}
