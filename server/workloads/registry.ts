import type { ParamValues, ParamSpecs } from '../../lib/params.ts';
import { cpuWorkload } from './cpu.ts';
import { dbWorkload } from './db.ts';
import { fetchWorkload } from './fetch.ts';
import { hashWorkload } from './hash.ts';
import { resolveWorkload } from './resolve.ts';
import type { ThreadClients, Workload, WorkResult } from './workload.ts';

/** The workloads one server runs, by the name used in their paths (`/<name>/<mode>`). */
export interface Registry {
  /** In the order they were given: the built-ins, then the WORKLOADS files. */
  readonly all: readonly Workload[];
  find(name: string): Workload | undefined;
}

/** The built-ins go through the same checks as a user's file: they use exactly the same API. */
export const BUILT_IN_WORKLOADS: readonly Workload[] = Object.freeze(
  [dbWorkload, fetchWorkload, hashWorkload, cpuWorkload].map((definition) => resolveWorkload(definition, 'built-in')),
);

/** A registry of the built-ins and `extra` (already checked for clashes by load.ts). */
export function createRegistry(extra: readonly Workload[] = []): Registry {
  const all = Object.freeze([...BUILT_IN_WORKLOADS, ...extra]);
  const byName = new Map(all.map((w) => [w.name, w]));
  return { all, find: (name) => byName.get(name) };
}

/** The built-ins alone: what a server started without WORKLOADS runs. */
export const BUILT_IN_REGISTRY: Registry = createRegistry();

/**
 * Finds a workload by name and runs its worker form with the given clients: the one entry point of
 * every thread or process that runs work handed off by the event-loop thread (the piscina worker
 * today). The parameters were validated by the server before they were sent.
 */
export async function runWorkerForm(
  registry: Registry,
  name: string,
  params: Record<string, number | string>,
  clients: ThreadClients,
  signal?: AbortSignal,
): Promise<WorkResult> {
  const workload = registry.find(name);
  if (!workload) throw new Error(`unknown workload ${name}`);
  if (!workload.worker) throw new Error(`workload ${name} has no worker form`);
  return workload.worker(params as ParamValues<ParamSpecs>, clients, signal);
}
