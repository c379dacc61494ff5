import type { SeedsResults } from './results.ts';

/** The lines every report opens with: how the run was made, so its figures can be read. */
export function describeRun(results: SeedsResults): string[] {
  const { machine, options } = results;
  return [
    `Run ${results.startedAt} → ${results.finishedAt} on ${machine.cpus} CPUs (${machine.cpuModel}), Node ` +
      `${machine.node}, ${machine.platform}${machine.commit ? `, commit ${machine.commit}` : ''}.`,
    `${options.repeats} repeats of every form, interleaved; latencies ` +
      `${options.scale === 1 ? 'as the texts measured them (--full)' : `are the texts' own ÷ ${options.scale}`}.`,
    'Times are medians with their range. "Node ×" is the sequential run\'s median over the form\'s: how many times ' +
      'as fast. As in the texts, a pool is made inside the timing; "pool warm" leaves its start-up out.',
    "Python figures are the texts' own, on their machines and networks: compare ratios, never seconds.",
  ];
}
