/**
 * Entry of each piscina worker thread. It imports the workloads (never the app), loads the same
 * WORKLOADS files as the main thread, and opens its own DB pool and HTTP agent once, when the thread
 * starts; every task on this thread reuses them.
 */
import { workerData } from 'piscina';
import { loadWorkloads } from '../workloads/load.ts';
import { runWorkerForm } from '../workloads/registry.ts';
import { watchCancelFlag } from './cancel-flag.ts';
import { toErrorData } from './error-data.ts';
import { createThreadClients } from './thread-clients.ts';
import { readThreadMemory } from './thread-memory.ts';
import type { PoolOutcome, WorkerSettings, WorkerTask } from './worker-protocol.ts';

const settings = workerData as WorkerSettings;
const clients = createThreadClients(settings);
// No top-level await: this file is loaded with require() (worker-boot.cjs). Every task, pings
// included, waits for the files, so /ready stays 503 until the threads can run them.
const registry = loadWorkloads(settings.workloadFiles ?? []);
registry.catch(() => {}); // reported by the tasks that wait for it, not as an unhandled rejection

export default async function runTask(task: WorkerTask): Promise<PoolOutcome> {
  const cancel = task.kind === 'run' && task.cancel ? watchCancelFlag(task.cancel) : undefined;
  try {
    const workloads = await registry;
    if (task.kind === 'ping') return { ok: true, result: {}, thread: readThreadMemory() };
    const result = await runWorkerForm(workloads, task.workload, task.params, clients, cancel?.signal);
    return { ok: true, result, thread: readThreadMemory() };
  } catch (err) {
    return { ok: false, error: toErrorData(err), thread: readThreadMemory() };
  } finally {
    cancel?.finish();
  }
}
