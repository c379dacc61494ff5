/** How to read each column; printed under the Markdown table and in the HTML report. */
export const COLUMN_NOTES: ReadonlyArray<readonly [string, string]> = [
  [
    'req/s',
    'successful (2xx) answers per second of the measured window (median over repeats; range in brackets). Refusals and errors are never throughput. "no answers": nothing came back at all',
  ],
  ['failed/s', 'non-2xx answers, connection errors and timeouts per second of the window'],
  [
    'n',
    'the 2xx answers behind the percentiles; p99 needs at least 100 and p99.9 at least 1000, and a percentile the sample cannot support prints as –',
  ],
  [
    'p50 / p99',
    "latency of the 2xx answers only; in the open model measured from each request's intended start. ≥ marks a lower bound: more than 0.1% of the requests due were dropped, abandoned or timed out, and those would have been the slowest",
  ],
  [
    'queue jobs / queue wait / queue run',
    "queue mode only (— in the other modes): from the server's own histograms looplab_queue_wait_seconds (BullMQ's processedOn − timestamp: enqueued until a queue worker took the job) and looplab_queue_processing_seconds (the workload in the worker), read at the start and end of the window; jobs is their count over the window (every job whose result reached the server in it, all runs together), wait and run the exact mean, sum ÷ count (median over runs). The rest of a request's latency is the trip through the backend and back. With --queue-backends the row names the backend (queue-postgres, queue-redis)",
  ],
  [
    'err/non2xx/drop',
    'connection errors and timeouts / non-2xx answers / open-model requests never sent (maxInFlight outstanding) or abandoned unanswered after the drain',
  ],
  [
    '/health p99',
    'latency of a separate low-rate probe of /health, sent from its own process: what every other caller of the server waits',
  ],
  [
    'loop delay p99',
    "the server's event-loop delay beyond its 1 ms sampling interval, time-weighted (a stall of D ms counts for D ms of samples), over the run",
  ],
  ['loop max', "the server's longest event-loop stall over the run"],
  ['loop busy', "the server's event-loop utilization over the run: the share of time its main thread was running code"],
  [
    'of bound',
    "req/s as a share of the theoretical bound: Little's law for I/O, single-thread rate × usable threads for CPU (which assumes those cores were free)",
  ],
  ['vs blocking', 'req/s relative to blocking mode at the same load level'],
  [
    'Δ',
    'with --compare: the change against the earlier run; `~` marks a change the runs cannot tell from noise (Mann–Whitney U, p ≥ 0.05, or a single run)',
  ],
  [
    '*',
    "the figures may be the machine's limit, not the server's: the load generator used about a whole core, or sent late (send-lag p99 above 2 ms and 10% of p50), or the machine's CPU was ≥ 90% busy",
  ],
];

/** The notes for the columns a table has: the queue columns' note only when it has them. */
export function columnNotes(headers: readonly string[]): ReadonlyArray<readonly [string, string]> {
  return COLUMN_NOTES.filter(([column]) => !column.startsWith('queue jobs') || headers.includes('queue jobs'));
}
