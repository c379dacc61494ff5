/**
 * The throughput cost of several `npm run bench:stall` runs taken together: reads the logs' per-round
 * lines (`saturated loop round N: tasks per main-thread CPU ms off …, blame …, gate …`) and prints each
 * preload's mean cost and the upper end of its 95% interval over all their rounds, as the bench does
 * for one run (bench-ci.ts). For a run whose interval is too wide to decide, and a second run after it:
 *
 *   npm run bench:stall:pool -- run1.log run2.log
 */
import { readFileSync } from 'node:fs';
import { meanInterval } from './bench-ci.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('bench:stall:pool: give the logs of one or more `npm run bench:stall` runs\n');
  process.exit(2);
}
const ROUND = /^saturated loop round \d+: tasks per main-thread CPU ms (.*)$/;
const costs = new Map<string, number[]>();
let rounds = 0;
const text = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`bench:stall:pool: cannot read ${file}: ${(err as Error).message}\n`);
    process.exit(2);
  }
};
for (const file of files) {
  for (const line of text(file).split('\n')) {
    const match = ROUND.exec(line);
    if (!match?.[1]) continue;
    const figures = new Map(match[1].split(', ').map((pair) => pair.split(' ') as [string, string]));
    const off = Number(figures.get('off'));
    rounds += 1;
    for (const [variant, value] of figures) {
      if (variant !== 'off') costs.set(variant, [...(costs.get(variant) ?? []), 1 - Number(value) / off]);
    }
  }
}
if (rounds === 0) {
  process.stderr.write(`bench:stall:pool: no "saturated loop round" lines in ${files.join(', ')}\n`);
  process.exit(2);
}
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
console.log(`${rounds} rounds from ${files.length} log(s)`);
for (const [variant, values] of costs) {
  const { mean, high } = meanInterval(values);
  console.log(`${variant}: throughput cost, mean (95% CI upper bound) ${pct(mean)} (≤ ${pct(high)})`);
}
