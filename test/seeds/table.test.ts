import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../seeds/experiments.ts';
import { parseSeedsOptions, SEEDS_FLAGS, SEEDS_USAGE } from '../../seeds/options.ts';
import { PUBLISHED } from '../../seeds/published.ts';
import { renderMarkdown } from '../../seeds/render-md.ts';
import { renderText } from '../../seeds/render-text.ts';
import { buildSweepTable, buildTables, COLUMNS, DASH } from '../../seeds/table.ts';
import { fixedSeedsResults } from './fixture-results.ts';

const byId = (id: string) => {
  const table = buildTables(fixedSeedsResults()).find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id}`);
  return table;
};
const rowOf = (id: string, label: RegExp) => byId(id).rows.find((r) => label.test(r[0] ?? '')) ?? [];
const col = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);

describe('the seeds tables', () => {
  it('puts Node’s ratio to its own sequential run beside Python’s ratio to its own', () => {
    const promiseAll = rowOf('realpython-io', /^Promise\.all/);
    expect(promiseAll[col('Node ×')]).toBe('80×'); // 1600 ms / 20 ms
    // 14.29 s / 2.57 s, both read from seeds/published.ts.
    expect(promiseAll[col('Python time')]).toBe('2.57 s');
    expect(promiseAll[col('Python ×')]).toBe('5.6×');
    expect(rowOf('realpython-io', /^sequential, synchronous/)[col('Node ×')]).toBe('1.0×');
  });

  it('reads the Python figures from the data file, so a changed figure changes the table', () => {
    const figure = PUBLISHED['realpython-io']?.figures.find((f) => f.form === 'asyncio') as { seconds: number };
    const kept = figure.seconds;
    try {
      figure.seconds = 1.4; // about a tenth of the sequential time
      expect(rowOf('realpython-io', /^Promise\.all/)[col('Python ×')]).toBe('10×');
    } finally {
      figure.seconds = kept;
    }
  });

  it('counts a pool’s start-up in its time, as the texts did, and shows the ratio without it too', () => {
    const threads = rowOf('realpython-io', /^worker_threads pool \(5\)/);
    expect(threads[col('pool start')]).toBe('70 ms');
    expect(threads[col('Node ×')]).toBe('4.0×'); // 1600 / (330 + 70)
    expect(threads[col('Node ×, pool warm')]).toBe('4.8×'); // 1600 / 330
    expect(rowOf('realpython-io', /^Promise\.all/)[col('pool start')]).toBe(DASH);
  });

  it('prints — with a note where a text publishes no time (003) or one that cannot be right (000)', () => {
    const sum = byId('guide-sum');
    expect(sum.rows.every((r) => r[col('Python ×')] === DASH)).toBe(true);
    expect(sum.notes).toContain('the example prints its sums but no time');
    const javatpoint = byId('javatpoint-io');
    const threads = javatpoint.rows.find((r) => /ThreadPoolExecutor/.test(r[col('Python form')] ?? '')) ?? [];
    expect(threads[col('Python time')]).toMatch(/^— \[\d\]$/);
    expect(javatpoint.notes.some((n) => /0\.011 s .* not credible/.test(n))).toBe(true);
    // No sequential time in 000: no Python ratio at all, not even for its asyncio figure.
    expect(javatpoint.rows.every((r) => r[col('Python ×')] === DASH)).toBe(true);
  });

  it('lists a published figure with no Node row of its own below the rows (001’s thread per request)', () => {
    const results = fixedSeedsResults();
    results.experiments.push({ id: 'testdriven-io', kind: 'io', forms: [] });
    const table = buildTables(results).find((t) => t.id === 'testdriven-io');
    const extra = table?.rows.find((r) => /threading\.Thread per request/.test(r[col('Python form')] ?? ''));
    expect(extra?.[col('Node form')]).toBe(DASH);
    expect(extra?.[col('Python ×')]).toBe('15×'); // 15.71 / 1.02
  });

  it('ends every table with its lesson and gives every experiment a published entry', () => {
    for (const experiment of EXPERIMENTS) expect(PUBLISHED[experiment.id]?.tutorial).toBe(experiment.tutorial);
    const text = renderText(fixedSeedsResults());
    expect(text).toContain(`Lesson: ${EXPERIMENTS[0]?.lesson}`);
    expect(renderMarkdown(fixedSeedsResults())).toContain(`**Lesson.** ${EXPERIMENTS[0]?.lesson}`);
  });

  it('tabulates the sweep by size, both forms, with a dash where a form was not run at that size', () => {
    const sweep = fixedSeedsResults().sweep;
    if (!sweep) throw new Error('fixture has a sweep');
    sweep.points.push({ form: 'bounded', size: 160, samples: [{ startMs: 0, batchMs: 12 }] });
    const table = buildSweepTable(sweep);
    expect(table.rows.map((r) => r[0])).toEqual(['1', '2', '5', '10', '20', '40', '160']);
    expect(table.rows[2]).toEqual(['5', '395 ms (395 ms–395 ms)', '320 ms (320 ms–320 ms)']);
    expect(table.rows.at(-1)).toEqual(['160', DASH, '12 ms (12 ms–12 ms)']);
  });
});

describe('the seeds command line', () => {
  it('defaults to the scaled latencies and --full sets the texts’ own', () => {
    expect(parseSeedsOptions([])).toMatchObject({ scale: 10, repeats: 3, sweep: true, only: [] });
    expect(parseSeedsOptions(['--full', '--no-sweep'])).toMatchObject({ scale: 1, sweep: false });
    expect(parseSeedsOptions(['--only', 'guide-sum,dev-io', '--repeats=2'])).toMatchObject({
      only: ['guide-sum', 'dev-io'],
      repeats: 2,
    });
  });

  it('refuses a bad value in one line naming the flag and its range', () => {
    expect(() => parseSeedsOptions(['--repeats', '0'])).toThrow('--repeats must be a whole number 1..50, got "0"');
    expect(() => parseSeedsOptions(['--scale', '1001'])).toThrow('--scale must be a whole number 1..1000, got "1001"');
    expect(() => parseSeedsOptions(['--scale'])).toThrow('--scale needs a value');
    expect(() => parseSeedsOptions(['--only', 'nope'])).toThrow(/--only takes experiment ids from: realpython-io/);
    expect(() => parseSeedsOptions(['--full', '--scale', '5'])).toThrow('--full and --scale contradict');
    expect(() => parseSeedsOptions(['--fast'])).toThrow('--fast is not an option here');
  });

  it('documents every flag in --help', () => {
    for (const flag of Object.keys(SEEDS_FLAGS)) expect(SEEDS_USAGE).toContain(`--${flag}`);
  });
});
