/**
 * Entry of each piscina worker thread. It imports the workloads (never the app) and opens its own
 * DB pool and HTTP agent once, when the thread starts; every task on this thread reuses them.
 */
import { workerData } from 'piscina';
import type { AsyncClients } from '../clients/index.ts';
import { createUpstreamClient } from '../clients/upstream-client.ts';
import { createWorldStore } from '../clients/world-store.ts';
import { findWorkload } from '../workloads/registry.ts';
import { watchCancelFlag } from './cancel-flag.ts';
import { toErrorData } from './error-data.ts';
import type { WorkerOutcome, WorkerSettings, WorkerTask } from './worker-protocol.ts';

const settings = workerData as WorkerSettings;
const clients: AsyncClients = {
  db: createWorldStore(settings.databaseUrl, settings.dbPoolSize),
  upstream: createUpstreamClient(settings.upstreamUrl, settings.upstreamTimeoutMs),
};

export default async function runTask(task: WorkerTask): Promise<WorkerOutcome> {
  if (task.kind === 'ping') return { ok: true, result: {} };
  const cancel = task.cancel ? watchCancelFlag(task.cancel) : undefined;
  try {
    const workload = findWorkload(task.workload);
    if (!workload) throw new Error(`unknown workload ${task.workload}`);
    return { ok: true, result: await workload.inWorker(task.params, clients, cancel?.signal) };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  } finally {
    cancel?.finish();
  }
}
