import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { siblingFile, typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import { isWorkerMessage, type PrimaryMessage } from './messages.ts';
import { createRestartBudget, MAX_RESTARTS, RESTART_WINDOW_MS } from './restart-budget.ts';

/** A server process that could not listen: its one line (e.g. the port is taken), shown as is. */
export class ProcessStartError extends Error {
  override name = 'ProcessStartError';
}

export interface Supervisor {
  /** The port every process listens on, once all of them do; rejects if one cannot start. */
  readonly ready: Promise<number>;
  /** Pids of the server processes alive now. */
  pids(): number[];
  /** Stops every process gracefully (none is restarted meanwhile); resolves once all have exited. */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  count: number;
  /** Added to each process's environment (the URLs of the dependencies the primary started). */
  env: Record<string, string>;
  /** How long a process may take to finish its requests on stop (its SHUTDOWN_GRACE_MS), before SIGKILL. */
  graceMs: number;
  /** Processes died more often than the restart budget allows: the cluster should stop. */
  onCrashLoop: () => void;
}

/** Past the grace a process has to stop, how long the primary waits before it kills the process. */
const KILL_MARGIN_MS = 5_000;

const send = (worker: Worker, msg: PrimaryMessage) => void worker.send(msg);

/**
 * Forks `count` server processes (`process-main.ts`) that share one port, and keeps that many running:
 * a process that exits while the cluster is not stopping is replaced, within a restart budget.
 */
export function superviseProcesses({ count, env, graceMs, onCrashLoop }: SuperviseOptions): Supervisor {
  cluster.setupPrimary({
    exec: fileURLToPath(siblingFile(import.meta.url, './process-main.ts')),
    execArgv: typeScriptLoaderArgs(),
  });
  const budget = createRestartBudget();
  const failures = new Map<number, string>();
  let started = false;
  let stopping: Promise<void> | undefined;
  let onAllExited = () => {};
  let resolveReady: (port: number) => void = () => {};
  let rejectReady: (err: Error) => void = () => {};
  const ready = new Promise<number>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let listening = 0;

  // Our own count: node:cluster keeps an exited worker in cluster.workers until its channel closes.
  const live = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork(env);
    live.add(worker);
    return worker;
  };

  cluster.on('message', (worker, msg) => {
    if (isWorkerMessage(msg) && msg.type === 'looplab:failed') failures.set(worker.id, msg.message);
  });
  cluster.on('listening', (_worker, address) => {
    if (started || ++listening < count) return;
    started = true;
    resolveReady(address.port);
  });
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    if (stopping) {
      if (live.size === 0) onAllExited();
      return;
    }
    const how = `code ${code}, signal ${signal}`;
    if (!started) {
      // One process that cannot start means none can (the same port, the same config): give up.
      rejectReady(
        new ProcessStartError(failures.get(worker.id) ?? `a server process exited before it listened (${how})`),
      );
      return;
    }
    if (!budget.take()) {
      console.error(
        `looplab: server processes exited ${MAX_RESTARTS + 1} times within ${RESTART_WINDOW_MS / 1000} s (the last, ` +
          `pid ${worker.process.pid}: ${how}); stopping the cluster instead of restarting`,
      );
      onCrashLoop();
      return;
    }
    const replacement = fork();
    console.error(
      `looplab: server process ${worker.process.pid} exited unexpectedly (${how}); started pid ${replacement.process.pid} in its place`,
    );
  });

  for (let i = 0; i < count; i++) fork();

  return {
    ready,
    pids: () => [...live].flatMap((w) => (w.process.pid ? [w.process.pid] : [])),
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const workers = [...live];
        if (workers.length === 0) return resolve();
        const kill = setTimeout(() => {
          for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
        }, graceMs + KILL_MARGIN_MS);
        onAllExited = () => {
          clearTimeout(kill);
          resolve();
        };
        for (const w of workers) {
          if (w.isConnected()) send(w, { type: 'looplab:stop' });
          else w.process.kill('SIGTERM');
        }
      });
      return stopping;
    },
  };
}
