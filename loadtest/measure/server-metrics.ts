/** What the harness reads from the server's `/metrics` to judge event-loop health over a window. */
export interface MetricsSnapshot {
  activeSeconds: number;
  idleSeconds: number;
  /** Event-loop delay beyond the sampling interval since the previous scrape (time-weighted p99, and max). */
  loopDelayP99Seconds: number;
  loopDelayMaxSeconds: number;
  /** CPU time of the server process (all its threads) since it started. */
  cpuSeconds: number;
  /** Workload requests the server has finished answering since it started, whatever their status. */
  workloadRequestsDone: number;
  /** Resident memory of the server process. */
  rssBytes: number;
}

/** Reads one sample out of Prometheus text format; `labels` is the exact label text, e.g. `stat="p99"`. */
export function readSample(text: string, name: string, labels?: string): number | undefined {
  const escaped = labels?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${name}${escaped ? `\\{${escaped}\\}` : ''} ([0-9.eE+-]+|NaN)$`, 'm').exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : undefined;
}

/** Sums every labelled series of a counter, e.g. all `looplab_request_duration_seconds_count{…}` lines. */
export function sumSamples(text: string, name: string): number {
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}\\{[^}]*\\} ([0-9.eE+-]+)$`, 'gm'))) total += Number(match[1]);
  return total;
}

export function parseMetrics(text: string): MetricsSnapshot | null {
  const active = readSample(text, 'looplab_event_loop_active_seconds_total');
  const idle = readSample(text, 'looplab_event_loop_idle_seconds_total');
  const p99 = readSample(text, 'looplab_event_loop_delay_seconds', 'stat="p99"');
  const max = readSample(text, 'looplab_event_loop_delay_seconds', 'stat="max"');
  const cpu = readSample(text, 'process_cpu_seconds_total');
  const rss = readSample(text, 'process_resident_memory_bytes');
  if (active === undefined || idle === undefined || p99 === undefined || max === undefined || cpu === undefined || rss === undefined) return null;
  return {
    activeSeconds: active,
    idleSeconds: idle,
    loopDelayP99Seconds: p99,
    loopDelayMaxSeconds: max,
    cpuSeconds: cpu,
    workloadRequestsDone: sumSamples(text, 'looplab_request_duration_seconds_count'),
    rssBytes: rss,
  };
}

export async function scrapeMetrics(origin: string): Promise<MetricsSnapshot | null> {
  try {
    const res = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return null;
    return parseMetrics(await res.text());
  } catch {
    return null;
  }
}

/** The server's own figures over one measured window. */
export interface WindowFigures {
  eventLoopUtilization: number;
  /** Time-weighted p99 of the delay beyond the 1 ms sampling interval, and the longest stall, ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Server CPU over the window, in cores (1 = one core fully busy; worker threads count too). */
  cpuCores: number;
  rssStartMb: number;
  rssEndMb: number;
}

/**
 * Event-loop figures over the window between two scrapes: utilization and CPU from running totals, and
 * the delay from the second scrape (the server resets its delay window at every scrape, so the second
 * one covers exactly the window — provided nothing else scraped `/metrics` in between).
 */
export function windowFigures(before: MetricsSnapshot | null, after: MetricsSnapshot | null, wallSeconds?: number): WindowFigures | null {
  if (!before || !after) return null;
  const active = after.activeSeconds - before.activeSeconds;
  const idle = after.idleSeconds - before.idleSeconds;
  const seconds = wallSeconds ?? active + idle;
  return {
    eventLoopUtilization: active + idle > 0 ? active / (active + idle) : 0,
    eventLoopDelayP99Ms: after.loopDelayP99Seconds * 1000,
    eventLoopDelayMaxMs: after.loopDelayMaxSeconds * 1000,
    cpuCores: seconds > 0 ? (after.cpuSeconds - before.cpuSeconds) / seconds : 0,
    rssStartMb: Math.round(before.rssBytes / 2 ** 20),
    rssEndMb: Math.round(after.rssBytes / 2 ** 20),
  };
}
