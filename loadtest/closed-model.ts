import autocannon from 'autocannon';
import type { RunMeasurement } from './types.ts';

export interface ClosedModelOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  timeoutSeconds: number;
  /** Called as each request ends: 2xx (`true`) or not; for live progress only. */
  onOutcome?: (ok: boolean) => void;
}

export type ClosedModelResult = Pick<RunMeasurement, 'requests' | 'rps' | 'latency' | 'errors' | 'timeouts' | 'non2xx'> & {
  elapsedSeconds: number;
};

/**
 * A fixed number of connections, each sending its next request as soon as the previous one answers
 * (a closed model), driven by autocannon's programmatic API.
 */
export async function runClosedModel(options: ClosedModelOptions): Promise<ClosedModelResult> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const opts = { url: options.url, connections: options.connections, duration: options.durationSeconds, timeout: options.timeoutSeconds };
    const instance = autocannon(opts, (err: unknown, res: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)));
    const { onOutcome } = options;
    if (onOutcome) {
      instance.on('response', (_client, status) => onOutcome(status >= 200 && status < 300));
      instance.on('reqError', () => onOutcome(false));
    }
  });
  const l = result.latency;
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    latency: { p50: l.p50, p90: l.p90, p99: l.p99, p999: l.p99_9, max: l.max, mean: l.mean },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    elapsedSeconds: result.duration,
  };
}
