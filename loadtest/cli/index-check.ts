import type { TargetProvider } from '../stack/stack.ts';
import type { HarnessOptions, WorkloadName, WorkloadParams } from '../types.ts';

/** The server at --url would refuse the planned parameters (it may be another version of looplab). */
export class ServerRefusesParamsError extends Error {
  override name = 'ServerRefusesParamsError';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function paramProblem(name: string, value: string, spec: Json): string | undefined {
  if (spec['type'] === 'enum' && Array.isArray(spec['values'])) {
    return spec['values'].includes(value) ? undefined : `${name}=${value}: allowed ${spec['values'].join(' | ')}`;
  }
  if (spec['type'] === 'integer' && typeof spec['min'] === 'number' && typeof spec['max'] === 'number') {
    const ok = /^\d{1,16}$/.test(value) && Number(value) >= spec['min'] && Number(value) <= spec['max'];
    return ok ? undefined : `${name}=${value}: allowed ${typeof spec['allowed'] === 'string' ? spec['allowed'] : `${spec['min']}..${spec['max']}`}`;
  }
  return undefined;
}

/**
 * What a server's own index (`GET /`: each endpoint's parameters with their type, values or range)
 * says about the parameters a run will send: unknown names, values outside a list or range. Returns
 * null when the index is not one this harness understands. Cross-parameter limits are only described
 * in words there; the local check (param-check.ts) has already applied this version's.
 */
export function indexProblems(index: unknown, params: WorkloadParams, workloads: readonly WorkloadName[]): string[] | null {
  if (!isObject(index) || !Array.isArray(index['endpoints'])) return null;
  const problems: string[] = [];
  for (const workload of workloads) {
    const endpoint = index['endpoints'].find((e): e is Json => isObject(e) && e['path'] === `/${workload}/:mode`);
    if (!endpoint || !isObject(endpoint['params'])) {
      problems.push(`it has no /${workload}/:mode endpoint`);
      continue;
    }
    const specs = endpoint['params'];
    for (const [name, value] of Object.entries(params[workload])) {
      const spec = specs[name];
      const problem = isObject(spec) ? paramProblem(`${workload}.${name}`, value, spec) : `${workload}.${name}: unknown; it takes ${Object.keys(specs).map((p) => `${workload}.${p}`).join(', ')}`;
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

/**
 * An already-running server may be another version with other limits: before any load, the planned
 * parameters are checked against the index it publishes, so a mismatch is one sentence, not a run of
 * 400s. A server without a readable index is loaded as planned (the local check still applied).
 */
export function checkedAgainstIndex(provider: TargetProvider, options: Pick<HarnessOptions, 'params' | 'workloads'>, note: (text: string) => void): TargetProvider {
  return {
    async start(workers) {
      const target = await provider.start(workers);
      const index: unknown = await fetch(`${target.origin}/`, { signal: AbortSignal.timeout(10_000) })
        .then((res) => res.json())
        .catch(() => undefined);
      const problems = indexProblems(index, options.params, options.workloads);
      if (problems === null) note(`${target.origin}/ gave no parameter index; the parameters were checked with this version's rules only`);
      else if (problems.length > 0) throw new ServerRefusesParamsError(`the server at ${target.origin} would refuse the --params: ${problems.join('; ')}`);
      return target;
    },
    close: () => provider.close(),
  };
}
