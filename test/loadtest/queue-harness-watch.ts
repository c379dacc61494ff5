import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { runMatrix } from '../../loadtest/matrix.ts';
import { startStack, type TargetProvider } from '../../loadtest/stack/stack.ts';
import type { HarnessOptions, QueueBackendName, Results } from '../../loadtest/types.ts';

/**
 * The real harness on the real stack, each server it starts read by the test before it is stopped:
 * for queue-harness.test.ts (one backend, core) and queue-harness-backends.test.ts (both, e2e).
 */

/** What a server the harness started said about itself just before the harness stopped it. */
interface SeenServer {
  asked: QueueBackendName | undefined;
  /** Its own word on its queue backend (`GET /`). */
  backend: string | undefined;
  /** Queue-mode requests it answered in its whole life, whatever their status (its request-duration histogram). */
  queueRequests: number;
  /** Mean time its queue workers ran a job, over its whole life, from its own processing histogram. */
  processingMeanMs: number;
}

/** Sums `looplab_request_duration_seconds_count` over every series with mode="queue". */
function queueRequestCount(metrics: string): number {
  let total = 0;
  for (const m of metrics.matchAll(/^looplab_request_duration_seconds_count\{([^}]*)\} (\S+)$/gm)) {
    if ((m[1] ?? '').includes('mode="queue"')) total += Number(m[2]);
  }
  return total;
}

/** The mean of `looplab_queue_processing_seconds` over every workload, in ms. */
function processingMeanMs(metrics: string): number {
  const total = (part: 'sum' | 'count') =>
    [...metrics.matchAll(new RegExp(`^looplab_queue_processing_seconds_${part}\\{[^}]*\\} (\\S+)$`, 'gm'))].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  return (total('sum') / total('count')) * 1000;
}

/**
 * The real stack, with each server read by the test itself before it is stopped: its backend and its
 * own count of queue requests, independent of the two scrapes the harness takes around each window.
 */
function watched(targets: TargetProvider, seen: SeenServer[]): TargetProvider {
  return {
    async start(workers, processes, queueBackend) {
      const target = await targets.start(workers, processes, queueBackend);
      return {
        origin: target.origin,
        blameUrl: target.blameUrl,
        async stop() {
          const index = (await (await fetch(`${target.origin}/`)).json()) as {
            server?: { queue?: { backend?: string } };
          };
          const metrics = await (await fetch(`${target.origin}/metrics`)).text();
          seen.push({
            asked: queueBackend,
            backend: index.server?.queue?.backend,
            queueRequests: queueRequestCount(metrics),
            processingMeanMs: processingMeanMs(metrics),
          });
          await target.stop();
        },
      };
    },
    close: () => targets.close(),
  };
}

/**
 * A tiny queue matrix: the open model (every request answered in the drain, none cut off by the end of
 * the window) and no warm-up, so every queue request the server ever answered was one of the window's.
 */
export const TINY: HarnessOptions = {
  ...DEFAULT_OPTIONS,
  workloads: ['cpu'],
  modes: ['queue'],
  params: { cpu: { n: '1000' } },
  rates: [10],
  connections: [],
  duration: 2,
  warmup: 0,
  blame: false,
};

export async function runWatched(options: HarnessOptions): Promise<{ results: Results; seen: SeenServer[] }> {
  const seen: SeenServer[] = [];
  const stack = watched(await startStack({ queue: true }), seen);
  try {
    return { results: await runMatrix(options, stack), seen };
  } finally {
    await stack.close();
  }
}
