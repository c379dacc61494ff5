import { scenarioKey } from './scenario-key.ts';
import { READABLE_RESULTS_SCHEMAS, RESULTS_SCHEMA, type Results, type ScenarioResult } from '../types.ts';

/** Finds, for each scenario of `current`, the same scenario in an earlier results file. */
export function matchPrevious(current: Results, previous: Results | undefined): Map<ScenarioResult, ScenarioResult> {
  const matches = new Map<ScenarioResult, ScenarioResult>();
  if (!previous) return matches;
  const byKey = new Map(previous.scenarios.map((s) => [scenarioKey(s.scenario), s]));
  for (const result of current.scenarios) {
    const old = byKey.get(scenarioKey(result.scenario));
    if (old) matches.set(result, old);
  }
  return matches;
}

/** Reads and checks an earlier results.json, of this schema or of schema 2 (read as this one, its version unknown). */
export function parseResultsFile(text: string, path: string): Results {
  return readResultsFile(text, path).results;
}

/** {@link parseResultsFile}, with the schema the file was written with (a warning's matter when it is older). */
export function readResultsFile(text: string, path: string): { results: Results; schema: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const schema = typeof data === 'object' && data !== null ? (data as { schema?: unknown }).schema : undefined;
  if (schema === 'looplab-loadtest/1') {
    throw new Error(
      `${path} was written by an older looplab (schema looplab-loadtest/1, whose req/s counted refusals too): its figures are not comparable; measure it again`,
    );
  }
  if (typeof schema !== 'string' || !READABLE_RESULTS_SCHEMAS.includes(schema))
    throw new Error(`${path} is not a looplab results.json (schema ${READABLE_RESULTS_SCHEMAS.join(' or ')})`);
  const results = data as Results;
  return { results: { ...results, schema: RESULTS_SCHEMA, looplabVersion: results.looplabVersion ?? null }, schema };
}
