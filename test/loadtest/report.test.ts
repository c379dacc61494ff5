import { describe, expect, it } from 'vitest';
import { parseResultsFile } from '../../loadtest/compare.ts';
import { renderHtml } from '../../loadtest/report-html.ts';
import { renderMarkdown } from '../../loadtest/report-md.ts';
import { buildTable, renderTerminal } from '../../loadtest/table.ts';
import { evaluateThreshold, parseThreshold } from '../../loadtest/thresholds.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

describe('the report table', () => {
  const results = fixedResults();
  const table = buildTable(results);

  it('has one section per workload and level, one row per mode, in run order', () => {
    expect(table.sections.map((s) => s.title)).toEqual(['fetch — c=20 — delay=50', 'hash — c=20 — delay=50']);
    expect(table.sections[0]?.rows.map((r) => r[0])).toEqual(['blocking', 'async', 'worker']);
  });

  it('shows throughput, latency, /health, loop figures, efficiency and the speed-up against blocking', () => {
    const row = table.sections[0]?.rows[1];
    expect(table.headers).toEqual(['mode', 'req/s', 'p50', 'p99', 'err/non2xx/drop', '/health p99', 'loop delay p99', 'loop busy', 'of bound', 'vs blocking']);
    expect(row).toEqual(['async', '380', '2.6 ms', '3.9 ms', '0', '3.0 ms', '3.0 ms', '20%', '80%', '24×']);
  });

  it('marks rows where the load generator was the likely bottleneck', () => {
    expect(table.sections[1]?.rows[2]?.[0]).toBe('worker *');
    expect(table.sections[1]?.verdict).toMatch(/load generator used ~1 core in worker/);
  });

  it('says the lesson in one plain sentence per workload', () => {
    expect(table.sections[0]?.verdict).toBe(
      'fetch (c=20): async serves 24× blocking; worker serves 2.4× blocking; worker serves only 0.1× async: offloading costs more than it gains; blocking stalls /health to p99 450 ms (otherwise 2.5 ms).',
    );
    expect(table.sections[1]?.verdict).toMatch(/^hash \(c=20\): async serves 1\.8× blocking; worker serves 1\.8× blocking; worker adds nothing over async; /);
  });

  it('renders aligned terminal text with the verdicts', () => {
    const text = renderTerminal(table);
    expect(text).toContain('fetch — c=20 — delay=50');
    expect(text).toMatch(/^async\s+380\s+2\.6 ms/m);
    expect(text).toContain('→ fetch (c=20): async serves 24× blocking');
  });

  it('shows the change against an earlier run', () => {
    const before = fixedResults([fixedScenario('fetch', 'blocking', 16, 450), fixedScenario('fetch', 'async', 190, 3)]);
    const compared = buildTable(results, before);
    expect(compared.headers.slice(-2)).toEqual(['Δ req/s', 'Δ p99']);
    expect(compared.sections[0]?.rows[0]?.slice(-2)).toEqual(['+0%', '+0%']);
    expect(compared.sections[0]?.rows[1]?.slice(-2)).toEqual(['+100%', '-50%']);
    expect(compared.sections[0]?.rows[2]?.slice(-2)).toEqual(['new', 'new']);
  });

  it('reports spread and whether a difference is beyond run-to-run noise when repeated', () => {
    const repeated = fixedResults([
      fixedScenario('fetch', 'blocking', 16, 450),
      fixedScenario('fetch', 'async', 380, 3, {}),
    ]);
    repeated.options.repeat = 3;
    const [blocking, asyncRun] = repeated.scenarios;
    if (!blocking || !asyncRun) throw new Error('fixture');
    blocking.summary.rps = { median: 16, min: 15, max: 17 };
    asyncRun.summary.rps = { median: 380, min: 370, max: 390 };
    const t = buildTable(repeated);
    expect(t.sections[0]?.rows[1]?.[1]).toBe('380 (370–390)');
    expect(t.sections[0]?.verdict).toContain('async serves 24× blocking (beyond run-to-run noise)');
  });
});

describe('report files', () => {
  const results = fixedResults();
  const table = buildTable(results);
  const outcomes = [evaluateThreshold(parseThreshold('fetch.async.rps>=10*fetch.blocking.rps'), results)];

  it('Markdown has the command, the machine, a table per section and how to read the columns', () => {
    const md = renderMarkdown(results, table, 'npm run loadtest -- --workloads fetch,hash', outcomes);
    expect(md).toContain('`npm run loadtest -- --workloads fetch,hash`');
    expect(md).toContain('Machine: Fixture CPU, 2 cores, 24 GiB, linux x64, Node v20.20.2; commit abcdef1234');
    expect(md).toContain('| mode | req/s | p50 |');
    expect(md).toContain('| async | 380 | 2.6 ms | 3.9 ms | 0 | 3.0 ms | 3.0 ms | 20% | 80% | 24× |');
    expect(md).toContain('- pass `fetch.async.rps>=10*fetch.blocking.rps`');
    expect(md).toContain('**/health p99**');
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
    expect(table.sweeps).toEqual(['cpu/worker: peaks at c=20 w=2 with 50.0 req/s; c=20 w=1 0.6×, c=20 w=4 0.8× of that.']);
    expect(renderTerminal(table)).toContain('→ cpu/worker: peaks at c=20 w=2');
  });
});

it('marks a change against an earlier run that lies within run-to-run noise', () => {
  const make = (median: number, min: number, max: number) => {
    const r = fixedResults([fixedScenario('fetch', 'async', median, 3)]);
    r.options.repeat = 3;
    const s = r.scenarios[0];
    if (!s) throw new Error('fixture');
    s.runs = [s.runs[0], s.runs[0], s.runs[0]].filter((x) => x !== undefined);
    s.summary.rps = { median, min, max };
    return r;
  };
  expect(buildTable(make(105, 95, 115), make(100, 90, 110)).sections[0]?.rows[0]?.at(-2)).toBe('+5% ~');
  expect(buildTable(make(150, 140, 160), make(100, 90, 110)).sections[0]?.rows[0]?.at(-2)).toBe('+50%');
});
