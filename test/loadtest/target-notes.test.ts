import { describe, expect, it } from 'vitest';
import { TARGET_MODE } from '../../loadtest/analyse/target-scenario.ts';
import { buildTable, renderTerminal } from '../../loadtest/report/table.ts';
import { renderMarkdown } from '../../loadtest/report/report-md.ts';
import { fixedResults, fixedScenario } from './fixture-results.ts';

/** A --target run's results: one scenario on a path of a server that is not looplab. */
function targetResults(blameUrl: string | undefined, generatorBound: boolean) {
  const r = fixedScenario('hash', 'blocking', 300, 5);
  r.scenario = { ...r.scenario, workload: '/work', mode: TARGET_MODE, path: '/work' };
  r.bound = null;
  r.efficiency = null;
  r.generatorBound = generatorBound;
  const results = fixedResults([r]);
  results.options = { ...results.options, target: 'http://127.0.0.1:9/work', blameUrl };
  return results;
}

describe('a --target run says nothing that contradicts itself', () => {
  it('does not ask for --blame-url when it was given', () => {
    const results = targetResults('http://127.0.0.1:9/stall-blame', false);
    const text = renderTerminal(buildTable(results));
    expect(text).toContain(
      '→ not looplab: no event-loop figures, bounds or verdicts; stall blame from http://127.0.0.1:9/stall-blame',
    );
    expect(text).not.toContain('use --blame-url');
    expect(text).not.toContain('give --blame-url');
  });

  it('asks for it when it was not', () => {
    const text = renderTerminal(buildTable(targetResults(undefined, false)));
    expect(text).toContain("give your server's command after -- (--target /path -- node server.js)");
    expect(text).toContain('give --blame-url');
  });

  it('says under the table why a row is marked *, since it prints no verdict', () => {
    const results = targetResults(undefined, true);
    const table = buildTable(results);
    expect(table.sections[0]?.rows[0]?.[0]).toBe('— *');
    expect(table.sections[0]?.verdict).toContain('* at c=20: the load generator used about a whole core');
    expect(renderMarkdown(results, table, 'npm run loadtest', [])).toContain(
      '* at c=20: the load generator used about a whole core',
    );
  });
});
