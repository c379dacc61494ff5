import { runWorkerForm, type Registry } from '../workloads/registry.ts';
import type { ThreadClients } from '../workloads/workload.ts';
import { toErrorData } from './error-data.ts';
import type { WorkerOutcome } from './worker-protocol.ts';

/**
 * {@link runWorkerForm} with a failure returned as plain data (errors lose their fields when cloned):
 * what the queue worker processes send back, the way a pool thread answers its task.
 */
export async function runWorkloadToOutcome(
  registry: Registry,
  name: string,
  params: Record<string, number | string>,
  clients: ThreadClients,
  signal?: AbortSignal,
): Promise<WorkerOutcome> {
  try {
    return { ok: true, result: await runWorkerForm(registry, name, params, clients, signal) };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  }
}
