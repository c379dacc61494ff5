import { beforeEach, describe, expect, it } from 'vitest';
import { matchPrevious, parseResultsFile } from '../../loadtest/analyse/compare.ts';
import { compareContext } from '../../loadtest/analyse/compare-context.ts';
import { renderHtml } from '../../loadtest/report/report-html.ts';
import { renderMarkdown } from '../../loadtest/report/report-md.ts';
import { buildTable, type ReportTable, renderTerminal } from '../../loadtest/report/table.ts';
import { evaluateThreshold, parseThreshold, type ThresholdOutcome } from '../../loadtest/analyse/thresholds.ts';
import { emptyLatency } from '../../loadtest/measure/outcome-log.ts';
import type { Results } from '../../loadtest/types.ts';
import { FIXTURE_FACTS, fixedResults, fixedRun, fixedScenario } from './fixture-results.ts';

// Fixtures are built in beforeEach, not in a describe body: code run while vitest collects the tests
// runs before Stryker switches a mutant on, so the table's verdicts could not fail a mutant there.
describe('the report table', () => {
  let results: Results;
  let table: ReportTable;
  beforeEach(() => {
    results = fixedResults();
    table = buildTable(results);
  });

  it('has one section per workload and level, one row per mode, in run order', () => {
    expect(table.sections.map((s) => s.title)).toEqual([
      'fetch — c=20 — delay=50&bytes=1024&count=1',
      'hash — c=20 — algo=pbkdf2&cost=100000',
    ]);
    expect(table.sections[0]?.rows.map((r) => r[0])).toEqual(['blocking', 'async', 'worker']);
  });

  it('shows throughput, latency, /health, loop figures, efficiency and the speed-up against blocking', () => {
    const row = table.sections[0]?.rows[1];
    expect(table.headers).toEqual([
      'mode',
      'req/s',
      'failed/s',
      'n',
      'p50',
      'p99',
      'err/non2xx/drop',
      '/health p99',
      'loop delay p99',
      'loop max',
      'loop busy',
      'of bound',
      'vs blocking',
      'rss MB',
      'unit MB',
    ]);
    // By hand: 380 × 5 s = 1900 answers; p50 = 1000/380 ms, p99 = 1500/380 ms; the Little's-law bound
    // of 20 connections each waiting 50 ms is 400/s, so 380 is 95% of it; 380 / 16 = 23.75× blocking.
    expect(row).toEqual([
      'async',
      '380',
      '0.00',
      '1900',
      '2.6 ms',
      '3.9 ms',
      '0',
      '3.0 ms',
      '3.0 ms',
      '6.0 ms',
      '20%',
      '95%',
      '24×',
      '80→82',
      // An async row has no thread or queue worker of its own.
      '–',
    ]);
  });

  it('prints only the percentiles the sample supports', () => {
    // Blocking fetch: 16/s × 5 s = 80 answers, too few for a p99 (which needs 100).
    expect(table.sections[0]?.rows[0]?.slice(3, 6)).toEqual(['80', '62.5 ms', '–']);
  });

  it('marks rows where the load generator was the likely bottleneck', () => {
    expect(table.sections[1]?.rows[2]?.[0]).toBe('worker *');
    expect(table.sections[1]?.verdict).toMatch(/load generator used ~1 core in worker/);
  });

  it('says the lesson in one plain sentence per workload', () => {
    expect(table.sections[0]?.verdict).toBe(
      'fetch (c=20): async serves 24× blocking; worker serves 2.4× blocking; worker serves only 0.1× async: ' +
        'offloading costs more than it gains; blocking stalls /health to p99 450 ms (otherwise 2.5 ms); one run per ' +
        'scenario, so run-to-run noise is unknown (--repeat 4 or more can tell a difference from it).',
    );
    expect(table.sections[1]?.verdict).toMatch(
      /^hash \(c=20\): async serves 1\.8× blocking; worker serves 1\.8× blocking; worker serves about what async serves \(1\.0×\); /,
    );
  });

  it('renders aligned terminal text with the verdicts', () => {
    const text = renderTerminal(table);
    expect(text).toContain('fetch — c=20 — delay=50');
    expect(text).toMatch(/^async\s+380\s+0\.00\s+1900\s+2\.6 ms/m);
    expect(text).toContain('→ fetch (c=20): async serves 24× blocking');
  });

  it('shows the change against an earlier run', () => {
    const before = fixedResults([fixedScenario('fetch', 'blocking', 16, 450), fixedScenario('fetch', 'async', 190, 3)]);
    const compared = buildTable(results, before);
    expect(compared.headers.slice(-2)).toEqual(['Δ req/s', 'Δ p99']);
    // One run each: no change can be told from noise, so every change is marked ~.
    expect(compared.sections[0]?.rows[0]?.slice(-2)).toEqual(['+0% ~', '–']);
    expect(compared.sections[0]?.rows[1]?.slice(-2)).toEqual(['+100% ~', '-50% ~']);
    expect(compared.sections[0]?.rows[2]?.slice(-2)).toEqual(['new', 'new']);
  });

  it('says a difference is beyond noise only when a Mann–Whitney test says so', () => {
    const runs = (values: number[]) => values.map((v) => fixedRun(v, 3));
    const three = fixedResults([
      fixedScenario('fetch', 'blocking', 16, 450, { runs: runs([15, 16, 17]) }),
      fixedScenario('fetch', 'async', 380, 3, { runs: runs([370, 380, 390]) }),
    ]);
    three.options.repeat = 3;
    const t = buildTable(three);
    expect(t.sections[0]?.rows[1]?.[1]).toBe('380 (370–390)');
    // By hand: 3 runs each, all async above all blocking: of the C(6,3) = 20 ways to split six runs,
    // 2 are as extreme (both directions), so p = 0.10 — not below 0.05, whatever the gap. The old
    // "ranges do not overlap" rule called this beyond noise.
    expect(t.sections[0]?.verdict).toContain(
      'async serves 24× blocking (inconclusive: Mann–Whitney p = 0.10 at 3 runs each; 4 runs each are needed',
    );
    const four = fixedResults([
      fixedScenario('fetch', 'blocking', 16, 450, { runs: runs([15, 16, 16, 17]) }),
      fixedScenario('fetch', 'async', 380, 3, { runs: runs([370, 380, 380, 390]) }),
    ]);
    four.options.repeat = 4;
    // 4 each, fully separated: p = 2 / C(8,4) = 2/70 = 0.029.
    expect(buildTable(four).sections[0]?.verdict).toContain(
      'async serves 24× blocking (beyond run-to-run noise: Mann–Whitney p = 0.029, 4 runs each)',
    );
  });

  it('says "no answers" for a scenario in which nothing came back', () => {
    const silent = fixedScenario('fetch', 'blocking', 1, 450, {
      runs: [{ ...fixedRun(1, 450), ok: 0, rps: 0, latency: emptyLatency(), due: 40 }],
    });
    const t = buildTable(fixedResults([silent, fixedScenario('fetch', 'async', 380, 3)]));
    expect(t.sections[0]?.rows[0]?.slice(0, 6)).toEqual(['blocking', 'no answers', '0.00', '0', '–', '–']);
    expect(t.sections[0]?.verdict).toContain('no answers in blocking');
  });

  it('shows the worst /health probe, named as such, when too few probes support a p99', () => {
    const run = fixedRun(16, 450);
    run.health = { p50: 200, p99: null, max: 540, samples: 40, failures: 0 };
    const t = buildTable(
      fixedResults([
        fixedScenario('fetch', 'blocking', 16, 450, { runs: [run] }),
        fixedScenario('fetch', 'async', 380, 3),
      ]),
    );
    expect(t.sections[0]?.rows[0]?.[7]).toBe('max 540 ms');
    expect(t.sections[0]?.verdict).toContain('blocking stalls /health to max 540 ms;');
  });

  it('marks percentiles as lower bounds when requests went unmeasured', () => {
    const run = { ...fixedRun(380, 3), dropped: 5, latencyIsLowerBound: true };
    const t = buildTable(fixedResults([fixedScenario('fetch', 'async', 380, 3, { runs: [run] })]));
    expect(t.sections[0]?.rows[0]?.slice(4, 7)).toEqual(['≥ 2.6 ms', '≥ 3.9 ms', '0/0/5']);
  });

  it('does not count refusals as throughput, and says so', () => {
    // 40 answers/s, of which 30 were fast 503s: 10/s served.
    const refusing = fixedScenario('fetch', 'worker', 10, 3, { non2xx: 150 });
    const t = buildTable(fixedResults([fixedScenario('fetch', 'blocking', 16, 450), refusing]));
    // By hand: bound of 2 workers × 1/50 ms = 40/s; 10 / 40 = 25% (counting refusals it would be 100%).
    expect(t.sections[0]?.rows[1]?.slice(0, 3)).toEqual(['worker', '10.0', '30.0']);
    expect(t.sections[0]?.rows[1]?.[11]).toBe('25%');
    // The fixture's failures took 2 ms at most (150 of them: too few for a p99).
    expect(t.sections[0]?.verdict).toContain(
      "failures in worker (30.0/s, failures' max 2.0 ms), not counted as throughput",
    );
  });
});

describe('comparing with an earlier run', () => {
  it('says above the table what was made differently', () => {
    const before = fixedResults();
    before.options.duration = 8;
    before.environment.node = 'v22.1.0';
    before.environment.server = { ...FIXTURE_FACTS, dbPool: 20 };
    const now = fixedResults();
    now.options.duration = 2;
    const t = buildTable(now, before);
    expect(t.compareNotes).toEqual(['duration: 8 s → 2 s', 'Node: v22.1.0 → v20.20.2', 'DB pool: 20 → 10']);
    expect(renderTerminal(t)).toContain('Compared with a run made differently:\n  duration: 8 s → 2 s');
    expect(buildTable(now, fixedResults()).compareNotes).toEqual(['duration: 8 s → 2 s']);
  });
});

describe('report files', () => {
  let results: Results;
  let table: ReportTable;
  let outcomes: ThresholdOutcome[];
  beforeEach(() => {
    results = fixedResults();
    table = buildTable(results);
    outcomes = [evaluateThreshold(parseThreshold('fetch.async.rps>=10*fetch.blocking.rps'), results)];
  });

  it('Markdown has the command, the machine, a table per section and how to read the columns', () => {
    const md = renderMarkdown(results, table, 'npm run loadtest -- --workloads fetch,hash', outcomes);
    expect(md).toContain('`npm run loadtest -- --workloads fetch,hash`');
    expect(md).toContain(
      'Machine: Fixture CPU, 2 cores, 24 GiB, linux x64, Node v20.20.2; looplab 0.1.0; commit abcdef1234',
    );
    expect(md).toContain('| mode | req/s | failed/s | n | p50 |');
    expect(md).toContain(
      '| async | 380 | 0.00 | 1900 | 2.6 ms | 3.9 ms | 0 | 3.0 ms | 3.0 ms | 6.0 ms | 20% | 95% | 24× | 80→82 |',
    );
    expect(md).toContain('- pass `fetch.async.rps>=10*fetch.blocking.rps`');
    expect(md).toContain('**/health p99**');
    // Six fixture runs, each with half its answers' worth of warm-up requests: 40+950+95+100+175+180.
    expect(md).toContain(
      'Warm-up: 1540 requests in all, never counted or timed; after each warm-up the harness waited until the server ' +
        'had finished them (up to 300 ms) before the measured window began.',
    );
    // The single-thread baseline at the start and the end of the run, and how far it drifted: 26 / 25 − 1 = +4%.
    expect(md).toContain(
      'Single-thread CPU cost measured in this run: hash 25.0 ms/request at the start, 26.0 ms at the end (+4%).',
    );
  });

  it('HTML is one self-contained page with the data embedded safely', () => {
    const hostile = fixedResults();
    hostile.environment.cpuModel = '</script><script>alert(1)</script>';
    const html = renderHtml(hostile, buildTable(hostile), 'npm run loadtest', outcomes);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|url\(|@import/); // nothing to fetch
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('&lt;/script&gt;');
    const embedded = /<script type="application\/json" id="looplab-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(embedded ?? '').environment.cpuModel).toBe(hostile.environment.cpuModel);
  });

  it('a results file round-trips, and a foreign file is refused', () => {
    expect(parseResultsFile(JSON.stringify(results), 'r.json')).toEqual(results);
    expect(() => parseResultsFile('{"a":1}', 'other.json')).toThrow('other.json is not a looplab results.json');
    expect(() => parseResultsFile('nope', 'bad.json')).toThrow('bad.json is not JSON');
    // A schema-1 file counted refusals as throughput: comparing with it would mislead.
    expect(() => parseResultsFile('{"schema":"looplab-loadtest/1"}', 'old.json')).toThrow(
      'old.json was written by an older looplab (schema looplab-loadtest/1',
    );
  });

  it('reads a schema-2 file, written before results named their looplab, as this schema with the version unknown', () => {
    const { looplabVersion: _, ...rest } = results;
    const older = parseResultsFile(JSON.stringify({ ...rest, schema: 'looplab-loadtest/2' }), 'v2.json');
    expect(older).toEqual({ ...results, looplabVersion: null });
    expect(matchPrevious(results, older).size).toBe(results.scenarios.length);
    expect(compareContext(results, older)).toEqual(['looplab: unknown → 0.1.0']);
  });
});

describe('sweeps', () => {
  it('says where throughput peaked and how the other levels compare', () => {
    const levels = [1, 2, 4].map((workers, i) => {
      const r = fixedScenario('cpu', 'worker', [28, 50, 40][i] ?? 0, 10);
      r.scenario.workers = workers;
      return r;
    });
    const table = buildTable(fixedResults(levels));
    expect(table.sweeps).toEqual([
      'cpu/worker: peaks at c=20 w=2 with 50.0 req/s; c=20 w=1 0.6×, c=20 w=4 0.8× of that.',
    ]);
    expect(renderTerminal(table)).toContain('→ cpu/worker: peaks at c=20 w=2');
  });
});

it('marks a change against an earlier run that the runs cannot tell from noise', () => {
  const make = (values: number[]) => {
    const r = fixedResults([fixedScenario('fetch', 'async', 0, 3, { runs: values.map((v) => fixedRun(v, 3)) })]);
    r.options.repeat = values.length;
    return r;
  };
  // Medians 105 vs 100, ranges overlapping: Mann–Whitney cannot tell them apart.
  expect(buildTable(make([95, 105, 105, 115]), make([90, 100, 100, 110])).sections[0]?.rows[0]?.at(-2)).toBe('+5% ~');
  // Medians 150 vs 100, four runs each, fully separated: p = 2/70.
  expect(buildTable(make([140, 150, 150, 160]), make([90, 100, 100, 110])).sections[0]?.rows[0]?.at(-2)).toBe('+50%');
});
