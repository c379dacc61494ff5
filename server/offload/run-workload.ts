import type { AsyncClients } from '../clients/index.ts';
import { findWorkload } from '../workloads/registry.ts';
import type { WorkResult } from '../workloads/workload.ts';
import { toErrorData } from './error-data.ts';
import type { WorkerOutcome } from './worker-protocol.ts';

/**
 * Runs a workload's worker form by name, with the calling process's or thread's own clients. The one
 * place the piscina worker entry and the queue worker processes share, so both run every workload
 * (built-in or a user's) the same way.
 * @throws Error when no workload has that name (the caller validated it, so this is a bug or a
 *   worker that runs other code than the server).
 */
export async function runWorkload(name: string, params: Record<string, number | string>, clients: AsyncClients, signal?: AbortSignal): Promise<WorkResult> {
  const workload = findWorkload(name);
  if (!workload) throw new Error(`unknown workload ${name}`);
  return workload.inWorker(params, clients, signal);
}

/** {@link runWorkload}, with a failure returned as plain data (errors lose their fields when cloned). */
export async function runWorkloadToOutcome(name: string, params: Record<string, number | string>, clients: AsyncClients, signal?: AbortSignal): Promise<WorkerOutcome> {
  try {
    return { ok: true, result: await runWorkload(name, params, clients, signal) };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  }
}
