/** What the harness reads from the server's `/metrics` to judge event-loop health over a window. */
export interface MetricsSnapshot {
  activeSeconds: number;
  idleSeconds: number;
  /** prom-client's event-loop delay p99 since the previous scrape, in seconds. */
  lagP99Seconds: number;
  /** Resident memory of the server process. */
  rssBytes: number;
}

/** Reads single unlabelled samples out of Prometheus text format. */
export function readSample(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} ([0-9.eE+-]+|NaN)$`, 'm').exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : undefined;
}

export async function scrapeMetrics(origin: string): Promise<MetricsSnapshot | null> {
  try {
    const res = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return null;
    const text = await res.text();
    const active = readSample(text, 'looplab_event_loop_active_seconds_total');
    const idle = readSample(text, 'looplab_event_loop_idle_seconds_total');
    const lag = readSample(text, 'nodejs_eventloop_lag_p99_seconds');
    const rss = readSample(text, 'process_resident_memory_bytes');
    if (active === undefined || idle === undefined || lag === undefined || rss === undefined) return null;
    return { activeSeconds: active, idleSeconds: idle, lagP99Seconds: lag, rssBytes: rss };
  } catch {
    return null;
  }
}

/**
 * Event-loop figures over the window between two scrapes: utilization from the running totals, and
 * the delay p99 from the second scrape (prom-client resets its delay histogram at every scrape, so the
 * second one covers exactly the window).
 */
export function windowFigures(before: MetricsSnapshot | null, after: MetricsSnapshot | null) {
  if (!before || !after) return null;
  const active = after.activeSeconds - before.activeSeconds;
  const idle = after.idleSeconds - before.idleSeconds;
  return {
    eventLoopUtilization: active + idle > 0 ? active / (active + idle) : 0,
    eventLoopDelayP99Ms: after.lagP99Seconds * 1000,
    rssStartMb: Math.round(before.rssBytes / 2 ** 20),
    rssEndMb: Math.round(after.rssBytes / 2 ** 20),
  };
}
