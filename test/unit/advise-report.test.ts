import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offloadCost } from '../../loadtest/advise/offload.ts';
import { adviceLead, renderAdvice } from '../../loadtest/advise/render.ts';
import { writeReports } from '../../loadtest/report/output.ts';
import { buildTable } from '../../loadtest/report/table.ts';
import { fixtureAdvice, fixtureAdviceResults } from '../helpers/advice-fixture.ts';

const advice = fixtureAdvice();
const lead = adviceLead(advice);
let dir: string;
let html: string;
let md: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-advise-report-'));
  const results = { ...fixtureAdviceResults(), advice };
  const out = await writeReports(dir, results, buildTable(results), 'npm run advise -- --workloads cpu', [], lead);
  [html, md] = await Promise.all([
    readFile(join(out, 'report.html'), 'utf8'),
    readFile(join(out, 'report.md'), 'utf8'),
  ]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The evidence table's header line as the terminal prints it, split into its columns. */
function terminalHeaders(): string[] {
  const lines = renderAdvice(advice).split('\n');
  const header = lines[lines.findIndex((l) => l.startsWith('The evidence')) + 1] ?? '';
  return header.split(/ {2,}/);
}

describe("advise's answer in its reports", () => {
  it('prints the evidence table in the terminal with the same columns the reports use', () => {
    expect(terminalHeaders()).toEqual([...(lead.tables[0]?.headers ?? [])]);
    expect(terminalHeaders()).toContain('/health p99');
  });

  it('heads report.html with the paragraph, the evidence table, why each other lost, the knee, the offload cost and the cuts', () => {
    const section = html.slice(html.indexOf('<section id="lead">'), html.indexOf('</section>'));
    expect(section).not.toBe('');
    expect(section).toContain('Run cpu in worker mode with a pool of 2 threads (1 per core).');
    // Header cells, in order, as the terminal's.
    const headers = [...(section.match(/<thead>.*?<\/thead>/s)?.[0] ?? '').matchAll(/<th>(.*?)<\/th>/g)].map(
      (m) => m[1],
    );
    expect(headers).toEqual(terminalHeaders());
    const firstCells = [...section.matchAll(/<tr><td>(.*?)<\/td>/g)].map((m) => m[1]);
    expect(firstCells).toEqual(advice.table.map((r) => r.label));
    expect([...firstCells].sort()).toEqual(['async', 'worker ×1', 'worker ×2', 'worker ×3']);
    expect(section).toMatch(/<li>async: serves 0\.5× worker ×2, beyond noise \(Mann–Whitney p = 0\.0\d\d\)<\/li>/);
    expect(section).toMatch(/<li>pool-size curve: 1→96\.0\/s .*; knee at 2<\/li>/);
    expect(section).toMatch(/<li>offload cost per call: 400 µs of CPU for the hop/);
    expect(section).toContain('<li>cut for the budget (not measured): worker ×4</li>');
    // The curve: a dot per pool size, the knee ringed.
    expect(section.match(/<circle class="(point|knee)"/g)).toHaveLength(3);
    expect(section).toMatch(/<circle class="knee"[^>]*><title>2: 190 req\/s/);
  });

  it('puts the same answer in report.md, above the figures', () => {
    const at = md.indexOf('## Advice for cpu');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('## cpu'));
    expect(md).toContain(`| ${terminalHeaders().join(' | ')} |`);
    expect(md).toContain('- cut for the budget (not measured): worker ×4');
  });
});

describe("advise's offload line", () => {
  const withHop = (pairedHopUs: number[]) =>
    renderAdvice({
      ...advice,
      offload: offloadCost({
        inlineMode: 'async',
        inlineUs: 36_000,
        offloadedUs: 35_995,
        pairedHopUs,
        reportedWorkUs: 35_500,
        groupSize: 20,
        groups: pairedHopUs.length,
      }),
    });

  it('says a hop whose paired groups disagree on its sign is lost in the noise, with their range, not a plain figure', () => {
    const line =
      withHop([-40, -5, 30])
        .split('\n')
        .find((l) => l.includes('offload cost per call')) ?? '';
    expect(line).toContain(
      'offload cost per call: lost in the noise beside the work: -5 µs of CPU for the hop by medians',
    );
    expect(line).toContain('-40 to 30 µs across the paired groups');
    expect(line).not.toMatch(/: -5 µs of CPU for the hop \(/);
  });

  it('quotes a hop the groups agree on, with its range beside it', () => {
    const line =
      withHop([380, 400, 420])
        .split('\n')
        .find((l) => l.includes('offload cost per call')) ?? '';
    expect(line).toMatch(
      /offload cost per call: -?\d+ µs of CPU for the hop \(380 to 420 µs across the paired groups\)/,
    );
    expect(line).not.toContain('lost in the noise');
  });
});
