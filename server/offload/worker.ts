/**
 * Entry of each piscina worker thread. It imports the workloads (never the app) and opens its own
 * DB pool and HTTP agent once, when the thread starts; every task on this thread reuses them.
 */
import { workerData } from 'piscina';
import type { AsyncClients } from '../clients/index.ts';
import { createUpstreamClient } from '../clients/upstream-client.ts';
import { createWorldStore } from '../clients/world-store.ts';
import { watchCancelFlag } from './cancel-flag.ts';
import { runWorkloadToOutcome } from './run-workload.ts';
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
    return await runWorkloadToOutcome(task.workload, task.params, clients, cancel?.signal);
  } finally {
    cancel?.finish();
  }
}
