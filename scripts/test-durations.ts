/**
 * Per-tier and per-file wall time of a vitest run, from its JSON report:
 *
 *   npx vitest run --project unit --project core --reporter=default --reporter=json --outputFile=.looplab/vitest.json
 *   node --import ./lib/typescript-loader.mjs scripts/test-durations.ts .looplab/vitest.json
 *
 * Files run one at a time in `core` and `e2e`, so a tier's sum is close to its wall time; `unit` files
 * run side by side, so its sum is an upper bound. The type check and lint are not in the report: time them apart.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { TIERS } from '../test/tiers.ts';

type TierName = keyof typeof TIERS;

interface JsonReport {
  startTime: number;
  testResults: { name: string; startTime: number; endTime: number; status: string }[];
}

const path = process.argv[2];
if (!path) {
  console.error('usage: scripts/test-durations.ts <vitest JSON report>');
  process.exit(2);
}
const report = JSON.parse(await readFile(path, 'utf8')) as JsonReport;
const tierOf = (file: string) =>
  (Object.keys(TIERS) as TierName[]).find((tier) => (TIERS[tier] as readonly string[]).includes(file)) ?? '?';
const files = report.testResults
  .map((r) => ({ file: relative(process.cwd(), r.name), seconds: (r.endTime - r.startTime) / 1000, status: r.status }))
  .map((f) => ({ ...f, tier: tierOf(f.file) }))
  .sort((a, b) => b.seconds - a.seconds);

for (const f of files)
  console.log(
    `${f.tier.padEnd(5)} ${f.seconds.toFixed(1).padStart(7)} s  ${f.file}${f.status === 'passed' ? '' : ` (${f.status})`}`,
  );
const end = Math.max(...report.testResults.map((r) => r.endTime));
for (const tier of new Set(files.map((f) => f.tier))) {
  const sum = files.filter((f) => f.tier === tier).reduce((total, f) => total + f.seconds, 0);
  console.log(`${tier}: ${files.filter((f) => f.tier === tier).length} files, ${sum.toFixed(0)} s summed`);
}
console.log(`whole run, from vitest's start to the last file's end: ${((end - report.startTime) / 1000).toFixed(0)} s`);
