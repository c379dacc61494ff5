/**
 * The `/health` probe's own process (see probe.ts): here no load generator shares the event loop, so
 * autocannon's work and garbage collection cannot delay a probe and be charged to the server. It serves
 * one window per message, one after another, for as long as its parent keeps it (probe.ts reuses it
 * across runs), and exits when the parent goes.
 */
import { runOpenModel } from './open-model.ts';
import type { ProbeRequest, ProbeResult } from './probe.ts';

process.on('message', (message: ProbeRequest) => {
  void runOpenModel({
    origin: message.origin,
    path: message.path,
    rate: message.rate,
    durationSeconds: message.seconds,
    maxInFlight: 200,
    timeoutMs: message.timeoutMs,
  }).then(
    (probe) => {
      const latency = probe.log.ok.summary();
      const result: ProbeResult = {
        p50: latency.p50,
        p99: latency.p99,
        max: latency.max,
        samples: latency.n,
        failures:
          probe.log.counts.non2xx +
          probe.log.counts.errors +
          probe.log.counts.timeouts +
          probe.dropped +
          probe.abandoned,
        perSecondP99: probe.log.timeline(message.seconds).map((s) => s.p99),
      };
      process.send?.(result);
    },
    (err: unknown) => {
      process.stderr.write(`probe failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
