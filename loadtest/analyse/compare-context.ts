import type { Results } from '../types.ts';

type Fact = readonly [label: string, read: (r: Results) => unknown];

/** Everything that changes what a figure means: if any differs, a change in the figures may be its doing. */
const FACTS: readonly Fact[] = [
  ['duration', (r) => `${r.options.duration} s`],
  ['warm-up', (r) => `${r.options.warmup} s`],
  ['repeats', (r) => r.options.repeat],
  ['/health probe rate', (r) => `${r.options.probeRate}/s`],
  // Results from before --generators existed had one: the harness's own process.
  ['load generators', (r) => (r.options as Partial<Results['options']>).generators ?? 1],
  ['parameters', (r) => JSON.stringify(r.options.params)],
  ['machine', (r) => `${r.environment.cpuModel}, ${r.environment.cpus} cores, ${r.environment.memoryGiB} GiB`],
  ['platform', (r) => r.environment.platform],
  ['looplab', (r) => r.looplabVersion ?? 'unknown'],
  ['Node', (r) => r.environment.node],
  ['commit', (r) => r.environment.gitCommit?.slice(0, 10) ?? 'unknown'],
  ['server started by the harness', (r) => r.environment.serverStartedByHarness],
  ['workers', (r) => r.environment.server?.workers ?? 'unknown'],
  ['DB pool', (r) => r.environment.server?.dbPool ?? 'unknown'],
  ['worker DB pool', (r) => r.environment.server?.workerDbPool ?? 'unknown'],
  ['UV_THREADPOOL_SIZE', (r) => r.environment.server?.uvThreadpoolSize ?? 'unknown'],
  ['queue', (r) => (r.environment.server?.queue ? JSON.stringify(r.environment.server.queue) : 'off')],
  ['queue backends', (r) => (r.options.queueBackends ?? []).join(', ') || 'as the server chose'],
  ['server Node', (r) => r.environment.server?.node ?? 'unknown'],
];

/**
 * What differs between this run and the one it is compared with, one line per setting, e.g.
 * "duration: 8 s → 2 s". Empty when the two were made the same way.
 */
export function compareContext(current: Results, previous: Results | undefined): string[] {
  if (!previous) return [];
  const lines: string[] = [];
  for (const [label, read] of FACTS) {
    const before = String(read(previous));
    const now = String(read(current));
    if (before !== now) lines.push(`${label}: ${before} → ${now}`);
  }
  return lines;
}
