/**
 * The finalists' servers, kept running through the interleaved repeats (experiment.ts) rather than
 * started again for every run. A repeat round runs each finalist once, so without them every repeat
 * paid a server start (forking Node, loading the server and compiling its worker threads' code): 3–10 s
 * on 2 cores, more than a short run's measured window. An idle server, worker threads and all, held
 * about 0.02 of a core here, which the runs count among other processes' CPU like any neighbour's.
 */
import { waitForQuietThreads } from '../measure/baseline.ts';
import type { Target, TargetProvider } from '../stack/stack.ts';
import type { QueueBackendName } from '../types.ts';

export interface KeptServers {
  /** Starts the server for these settings the first time, and hands back the same running one after. */
  provider: TargetProvider;
  /** Stops every server kept. */
  stopAll(): Promise<void>;
}

export function keepServers(targets: TargetProvider): KeptServers {
  const running = new Map<string, Promise<Target>>();
  const provider: TargetProvider = {
    async start(workers?: number, processes?: number, queueBackend?: QueueBackendName, concurrency?: number) {
      const key = JSON.stringify([workers, processes, queueBackend, concurrency]);
      let server = running.get(key);
      if (!server) {
        server = targets.start(workers, processes, queueBackend, concurrency);
        running.set(key, server);
        server.catch(() => running.delete(key));
      }
      const target = await server;
      return {
        origin: target.origin,
        blameUrl: target.blameUrl,
        // Kept, not stopped; but the next run, on another server, must not share the cores with this
        // one's pool replacing the threads whose tasks the end of the load cancelled (baseline.ts).
        stop: () => waitForQuietThreads(target.origin),
      };
    },
    close: () => targets.close(),
  };
  return {
    provider,
    async stopAll() {
      const servers = [...running.values()];
      running.clear();
      for (const server of servers) await (await server.catch(() => null))?.stop();
    },
  };
}
