/** How to read each column; printed under the Markdown table and in the HTML report. */
export const COLUMN_NOTES: ReadonlyArray<readonly [string, string]> = [
  ['req/s', 'completed requests per second over the measured run (median over repeats; range in brackets)'],
  ['p50 / p99', 'latency percentiles of the load requests; in the open model measured from each request\'s intended start'],
  ['err/non2xx/drop', 'connection errors and timeouts / non-2xx answers / open-model requests that could not be sent on time'],
  ['/health p99', 'latency of a separate low-rate probe of /health during the run: what every other caller of the server waits'],
  ['loop delay p99', "the server's own event-loop delay p99 over the run (perf_hooks.monitorEventLoopDelay via /metrics)"],
  ['loop busy', "the server's event-loop utilization over the run: the share of time its main thread was running code"],
  ['of bound', 'req/s as a share of the theoretical bound: Little\'s law for I/O, single-thread rate × usable threads for CPU'],
  ['vs blocking', 'req/s relative to blocking mode at the same load level'],
  ['Δ', 'with --compare: the change against the earlier run; `~` marks a change within run-to-run noise (both runs repeated, ranges overlap)'],
  ['*', 'the load generator used about a whole core: on a small machine it, not the server, may be the limit'],
];
