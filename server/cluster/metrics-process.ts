import { HttpError } from '../../lib/http-error.ts';
import type { Metrics } from '../observation/metrics.ts';
import { isPrimaryMessage, type ProcessMetrics, type WorkerMessage } from './messages.ts';

const toPrimary = (msg: WorkerMessage) => void process.send?.(msg);

/**
 * A server process's metrics in a cluster: the primary collects this process's registry as JSON when
 * it asks, and `render()` (what `/metrics` answers, whichever process the connection landed on)
 * returns the aggregate of every process, from the primary.
 */
export function clusterMetrics(local: Metrics): Metrics {
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  process.on('message', function onPrimaryMessage(msg) {
    if (!isPrimaryMessage(msg)) return;
    if (msg.type === 'looplab:metrics-collect') {
      void local.registry.getMetricsAsJSON().then((metrics) =>
        // The run-time shape of prom-client's JSON (its declared type has extra, absent fields).
        toPrimary({
          type: 'looplab:metrics-json',
          id: msg.id,
          pid: process.pid,
          metrics: metrics as unknown as ProcessMetrics,
        }),
      );
    } else if (msg.type === 'looplab:metrics-text' || msg.type === 'looplab:metrics-error') {
      const request = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.type === 'looplab:metrics-text') request?.resolve(msg.text);
      else request?.reject(new HttpError(503, 'metrics unavailable', { reason: msg.error }));
    }
  });
  return {
    ...local,
    render: () =>
      new Promise<string>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        toPrimary({ type: 'looplab:metrics-request', id });
      }),
  };
}
