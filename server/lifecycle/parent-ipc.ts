import type { StopTrigger } from './stop-signals.ts';

/**
 * When a parent forked us with an IPC channel (the load harness does), tell it where we listen, and
 * shut down gracefully when it asks or goes away.
 */
export function reportReadyToParent(host: string, port: number, trigger: StopTrigger, blameUrl?: string): void {
  if (!process.send) return;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host;
  process.on('message', (msg) => {
    if ((msg as { type?: unknown }).type === 'stop') trigger.request();
  });
  process.on('disconnect', () => trigger.request());
  // The stall-blame report's address (STALL_THRESHOLD_MS), so the harness reads it without guessing a port.
  process.send({ type: 'ready', url: `http://${reachable}:${port}`, ...(blameUrl ? { blameUrl } : {}) });
}
