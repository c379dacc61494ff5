import { expect, it } from 'vitest';
import { runFaultDrill } from '../../loadtest/faults.ts';
import { renderFaultsHtml, renderFaultsMarkdown } from '../../loadtest/faults-report.ts';

/**
 * The fault run, for real: its own embedded PostgreSQL and upstream are stopped and restarted under
 * constant-rate load. The server must refuse fast while a dependency is down and recover by itself.
 */
it('refuses fast while a dependency is down and recovers by itself when it is back', async () => {
  const results = await runFaultDrill({ rate: 20, phaseSeconds: 2 });
  expect(results.events.map((e) => e.what)).toEqual([
    'database stopped',
    'database accepts connections again',
    'upstream stopped',
    'upstream accepts connections again',
  ]);
  const [db, upstream] = results.recoveries;
  expect(Object.keys(db?.duringOutage ?? {})).toEqual(['503']);
  expect(Object.keys(upstream?.duringOutage ?? {})).toEqual(['502']);
  for (const r of results.recoveries) {
    expect(r.slowestAnswerWhileDownMs, r.dependency).toBeLessThan(1_000); // no hang while it is down
    expect(r.firstSuccessMs, r.dependency).not.toBeNull();
    expect(r.firstSuccessMs ?? Infinity, r.dependency).toBeLessThan(3_000);
    expect(r.lastFailureMs ?? Infinity, r.dependency).toBeLessThan(3_000); // and nothing fails after that
  }
  // Calm phases are all 200.
  const calm = results.buckets.filter((b) => b.second === 0);
  expect(calm.every((b) => Object.keys(b.outcomes).join() === '200')).toBe(true);

  const md = renderFaultsMarkdown(results, 'npm run loadtest -- --faults');
  expect(md).toContain('| database | /db/async |');
  const html = renderFaultsHtml(results, 'npm run loadtest -- --faults');
  expect(html).toContain('<svg class="chart"');
  expect(html.match(/<rect class="bar"/g)?.length ?? 0).toBeGreaterThan(10);
}, 90_000);
