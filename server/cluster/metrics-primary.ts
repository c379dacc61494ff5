import cluster, { type Worker } from 'node:cluster';
import { aggregateProcesses, type ProcessSample } from './aggregate.ts';
import { isWorkerMessage, type PrimaryMessage } from './messages.ts';

/**
 * How long a process may take to send its metrics. A process whose event loop is blocked reads the
 * request only between requests (with blocking-mode load, after several): prom-client's own
 * `clusterMetrics()` gives up after a fixed 5 s and fails the whole scrape, which is why the primary
 * collects with its own, longer limit, below the load harness's 30 s.
 */
export const COLLECT_TIMEOUT_MS = 20_000;

let nextId = 0;
const pending = new Map<number, { samples: ProcessSample[]; waiting: Set<Worker>; done: (err?: Error) => void }>();

/** Asks every live server process for its metrics; resolves with what each sent. */
function collect(): Promise<ProcessSample[]> {
  const id = nextId++;
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w?.isConnected() === true);
  return new Promise<ProcessSample[]>((resolve, reject) => {
    const samples: ProcessSample[] = [];
    const timer = setTimeout(
      () => done(new Error(`a server process did not send its metrics within ${COLLECT_TIMEOUT_MS / 1000} s`)),
      COLLECT_TIMEOUT_MS,
    );
    const done = (err?: Error) => {
      clearTimeout(timer);
      pending.delete(id);
      if (err) reject(err);
      else resolve(samples);
    };
    const waiting = new Set(workers);
    pending.set(id, { samples, waiting, done });
    if (waiting.size === 0) return done();
    for (const w of workers) w.send({ type: 'looplab:metrics-collect', id } satisfies PrimaryMessage);
  });
}

/**
 * The primary's half of `/metrics`: the process that got the request asks here, the primary collects
 * every process's metrics and sends the aggregate back. A process that exits meanwhile is left out
 * (its counters leave the totals, as after any restart).
 */
export function serveAggregatedMetrics(): void {
  cluster.on('message', (worker, msg) => {
    if (!isWorkerMessage(msg)) return;
    if (msg.type === 'looplab:metrics-json') {
      const request = pending.get(msg.id);
      if (!request?.waiting.delete(worker)) return;
      request.samples.push({ pid: msg.pid, metrics: msg.metrics });
      if (request.waiting.size === 0) request.done();
    } else if (msg.type === 'looplab:metrics-request') {
      collect()
        .then((samples) => aggregateProcesses(samples.sort((a, b) => a.pid - b.pid)))
        .then(
          (text) =>
            worker.isConnected() &&
            worker.send({ type: 'looplab:metrics-text', id: msg.id, text } satisfies PrimaryMessage),
          (err: unknown) =>
            worker.isConnected() &&
            worker.send({
              type: 'looplab:metrics-error',
              id: msg.id,
              error: err instanceof Error ? err.message : String(err),
            } satisfies PrimaryMessage),
        );
    }
  });
  cluster.on('exit', (worker) => {
    for (const request of pending.values())
      if (request.waiting.delete(worker) && request.waiting.size === 0) request.done();
  });
}
