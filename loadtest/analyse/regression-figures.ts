import type { RunMeasurement } from '../types.ts';

/** A figure `--max-regression` compares run by run, defined once: the parser, the gate and the docs read it. */
export interface RegressionFigure {
  /** Its name on the command line (`rps=5%`), the same as a `--threshold` metric where there is one. */
  readonly name: string;
  readonly label: string;
  readonly unit: string;
  /** Which way is worse: a drop in throughput, a rise in everything else. */
  readonly worse: 'lower' | 'higher';
  /** Measured by the load generator (`client`) or read from the server's `/metrics` (`server`). */
  readonly side: 'client' | 'server';
  /**
   * The figure's resolution, in its unit: a change smaller than this is never a regression, whatever
   * its share (a loop delay p99 of 0.2 ms that becomes 0.4 ms doubled, but by less than the 1 ms the
   * delay is sampled at).
   */
  readonly floor: number;
  /** The figure of one run; null when the run could not support it (a p99 of < 100 answers, no /metrics). */
  read(run: RunMeasurement): number | null;
}

const finite = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

export const REGRESSION_FIGURES: readonly RegressionFigure[] = [
  { name: 'rps', label: 'req/s', unit: 'req/s', worse: 'lower', side: 'client', floor: 0, read: (r) => finite(r.rps) },
  {
    name: 'p99',
    label: 'p99',
    unit: 'ms',
    worse: 'higher',
    side: 'client',
    floor: 1,
    read: (r) => finite(r.latency.p99),
  },
  {
    name: 'loop_delay_p99',
    label: 'loop delay p99',
    unit: 'ms',
    worse: 'higher',
    side: 'server',
    floor: 1,
    // With --target and --blame-url, the preload's heartbeat gives it where no /metrics does.
    read: (r) => finite(r.server?.eventLoopDelayP99Ms ?? r.blame?.loopDelayP99Ms),
  },
  {
    name: 'loop_busy',
    label: 'loop busy',
    unit: '%',
    worse: 'higher',
    side: 'server',
    floor: 1,
    read: (r) => finite(r.server ? r.server.eventLoopUtilization * 100 : null),
  },
  {
    name: 'cpu_per_request',
    label: 'CPU per request',
    unit: 'ms',
    worse: 'higher',
    side: 'server',
    floor: 0.01,
    // The server's CPU over the window (all its threads) for each 2xx answer of the window.
    read: (r) => finite(r.server && r.rps > 0 ? (r.server.cpuCores * 1000) / r.rps : null),
  },
  {
    name: 'rss',
    label: 'resident memory',
    unit: 'MiB',
    worse: 'higher',
    side: 'server',
    floor: 1,
    read: (r) => finite(r.server ? (r.server.rssPeakMb ?? r.server.rssEndMb) : null),
  },
];

/** The name that sets the blame margin in `--max-regression` (`blame=50ms`): stall time, not a share. */
export const BLAME_MARGIN_NAME = 'blame';

/** A culprit's stall time may grow by this much per measured window before it counts, when not given. */
export const DEFAULT_BLAME_MARGIN_MS = 50;

/** What a `--max-regression` margin may be: a share up to this many percent, a blame margin up to this many ms. */
export const MARGIN_LIMITS = { maxPercent: 1000, maxBlameMs: 600_000 } as const;

/** `rps (req/s), p99 (ms), …` for `--help`. */
export const REGRESSION_FIGURES_TEXT = REGRESSION_FIGURES.map((f) => `${f.name} (${f.label})`).join(', ');
